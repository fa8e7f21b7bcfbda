package io.proxyless.spark.cli;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.latency.MeasuredTableCache;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code proxyless profile-latency --output table.json}: measure the space's ops on the executors. */
@Command(name = "profile-latency", mixinStandardHelpOptions = true,
        description = "Measure every op of the space on the Spark executors and write a latency table: with DJL"
                + " (cpu, the default) or exported to ONNX in ONNX Runtime (--hardware onnxruntime).")
public final class ProfileLatencyCommand implements Callable<Integer> {

    @Option(names = "--output", required = true, description = "Table file to write (JSON, any Hadoop path)")
    String output;

    @Option(names = "--hardware", defaultValue = "cpu", description = "cpu (DJL) or onnxruntime (default:"
            + " ${DEFAULT-VALUE}); a search reads the table by --applied-hardware with the same name")
    String hardware;

    @Option(names = "--master", description = "Spark master; default: spark-submit's, else local[*]")
    String master;

    @Mixin
    JarOptions jarOptions;

    @Mixin
    TrainerOptions trainer;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (SparkSession spark = SparkSearch.session(master, jarOptions.load(new Configuration()))) {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            TrainerConfig config = trainer.resolve(hadoop);
            int batch = config.dummyInput().get(0);
            if (!HardwareResolver.MEASURED.contains(hardware)) {
                throw new IllegalArgumentException("--hardware '" + hardware + "': profile-latency measures "
                        + HardwareResolver.MEASURED);
            }
            LatencyTable table = MeasuredTableCache.onSpark(JavaSparkContext.fromSparkContext(spark.sparkContext()))
                    .measure(hardware, config.searchSpace(), batch);
            MeasuredTableCache.write(new Path(output), table, config.searchSpace(), batch, hadoop);
            spec.commandLine().getOut().println("wrote " + table.entries().size() + " op latencies to " + output);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
