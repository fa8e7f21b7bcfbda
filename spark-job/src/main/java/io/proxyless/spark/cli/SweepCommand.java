package io.proxyless.spark.cli;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.latency.MeasuredTableCache;
import io.proxyless.spark.sweep.Sweep;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code proxyless sweep}: one search per target latency (or lambda), then a table of the exported networks. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run one search per --target-latency value (comma-separated, e.g. 3,5,8) or per --lambdas"
                + " value, one after another, each in its own folder under --output; with --retrain-epochs, retrain and"
                + " score each exported network. Writes sweep.json and sweep.md. Finished settings are not run again.")
public final class SweepCommand implements Callable<Integer> {

    @Option(names = "--output", required = true, description = "The sweep's folder (any Hadoop path)")
    String output;

    @Option(names = "--lambdas", split = ",", description = "Weights of the latency loss to sweep instead of targets"
            + " (with --grad-reg-loss-type): lambda for add#linear, beta for mul#log")
    List<Double> lambdas;

    @Option(names = "--retrain-epochs", defaultValue = "0", description = "Retrain each exported network for this many"
            + " epochs and score it (default 0: no retrain)")
    int retrainEpochs;

    @Option(names = "--master", description = "Spark master; default: spark-submit's, else local[*]")
    String master;

    @Mixin
    JarOptions jarOptions;

    @Mixin
    TrainerOptions trainer;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Double> targets = new ArrayList<>();
        String targetList = trainer.given("target_latency");
        if (targetList != null) {
            for (String t : targetList.split(",")) {
                try {
                    targets.add(Double.parseDouble(t.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--target-latency: '" + t + "' is not a number", e);
                }
            }
            trainer.override("target_latency", null);
        }
        if (targets.isEmpty() == (lambdas == null || lambdas.isEmpty())) {
            throw new IllegalArgumentException("give one of --target-latency 3,5,8 or --lambdas 0.1,1,10");
        }
        if (trainer.given("applied_hardware") == null) {
            throw new IllegalArgumentException("a sweep prices networks in a latency table: set --applied-hardware");
        }
        if (!targets.isEmpty() && trainer.given("grad_reg_loss_type") == null) {
            // A target needs no loss type, but a base configuration with a table is checked as a whole.
            trainer.override("target_latency", Double.toString(targets.get(0)));
        }
        try (SparkSession spark = SparkSearch.session(master, jarOptions.load(new Configuration()))) {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            TrainerConfig base = trainer.resolve(hadoop);
            SpaceLatency latency = trainer.latency(base, hadoop,
                    MeasuredTableCache.onSpark(JavaSparkContext.fromSparkContext(spark.sparkContext())));
            List<Sweep.Setting> settings = targets.isEmpty() ? Sweep.lambdas(base, lambdas) : Sweep.targets(base, targets);
            List<Sweep.Row> rows = Sweep.run(spark, settings, latency, output, retrainEpochs);
            spec.commandLine().getOut().print(Sweep.table(rows));
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
