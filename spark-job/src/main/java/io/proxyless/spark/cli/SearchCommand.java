package io.proxyless.spark.cli;

import io.proxyless.nas.checkpoint.Resumption;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.train.InProcessData;
import io.proxyless.nas.train.SearchRun;
import io.proxyless.spark.fs.HadoopOutputFolder;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.latency.MeasuredTableCache;
import io.proxyless.udfs.fs.HadoopFileSource;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code proxyless search}: the search as a Spark job (or in this JVM with {@code --in-process}). */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Run a ProxylessNAS search and write architecture.json, architecture-probs.json, "
                + "metrics.jsonl, run.json and _SUCCESS to --output.")
public final class SearchCommand implements Callable<Integer> {

    @Option(names = "--output", description = "Output folder (any Hadoop path)")
    String output;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the search in RUN_DIR from its newest valid checkpoint")
    String resume;

    @Option(names = "--in-process", description = "Run without Spark, in this JVM")
    boolean inProcess;

    @Mixin
    JarOptions jarOptions;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    TrainerOptions trainer;

    @Override
    public Integer call() throws Exception {
        int partitions = sparkOptions.partitions();
        if (output == null && resume == null) {
            throw new IllegalArgumentException("--output DIR is required (or --resume RUN_DIR to continue a search)");
        }
        if (output != null && resume != null && !output.equals(resume)) {
            throw new IllegalArgumentException("--resume " + resume + " continues the search in that folder; drop --output "
                    + output + " or make it the same");
        }
        String folder = resume != null ? resume : output;
        StopNotice.searchIn(folder);
        if (inProcess) {
            Configuration hadoop = new Configuration();
            jarOptions.load(hadoop);
            HadoopOutputFolder out = new HadoopOutputFolder(folder, hadoop);
            TrainerConfig config = Resumption.withRecordedShards(out, trainer.resolve(hadoop), resume != null);
            SpaceLatency latency = trainer.latency(config, hadoop, MeasuredTableCache.inProcess());
            if (!List.of("auto", "idx").contains(config.dataset().format())) {
                throw new IllegalArgumentException("--in-process reads IDX folders only; drop --in-process to read "
                        + config.dataset().format() + " with Spark");
            }
            SearchRun.run(config, () -> InProcessData.load(config,
                    new HadoopFileSource(config.dataset().pathOrDefault(), hadoop)), out, latency, resume != null);
            return 0;
        }
        try (SparkSession spark = SparkSearch.session(sparkOptions.master, jarOptions.load(new Configuration()))) {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            TrainerConfig config = trainer.resolve(hadoop);
            SpaceLatency latency = trainer.latency(config, hadoop,
                    MeasuredTableCache.onSpark(JavaSparkContext.fromSparkContext(spark.sparkContext())));
            SparkSearch.builder(spark).setConfig(config).setOutput(new HadoopOutputFolder(folder, hadoop))
                    .optPartitions(partitions).optLatency(latency).optResume(resume != null).run();
        }
        return 0;
    }
}
