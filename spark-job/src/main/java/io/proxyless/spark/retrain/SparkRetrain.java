package io.proxyless.spark.retrain;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.child.Evaluator;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.DataSummary;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.retrain.RetrainRun;
import io.proxyless.spark.evaluate.TestSets;
import io.proxyless.spark.fs.HadoopOutputFolder;
import io.proxyless.spark.job.Partitions;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.job.SparkSearchData;
import io.proxyless.spark.source.DataSources;
import io.proxyless.spark.source.ImageTable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Retrains a searched (or uniform) network from scratch as a data-parallel Spark job, on the
 * search's data path and step: {@code SparkRetrain.builder(spark).setConfig(c).setArchitecture(a)
 * .setOutput(dir).run()}. Every epoch it scores the network on the test set: {@link #builder}'s
 * {@code optTestData}, else an IDX folder's {@code t10k} files, else the seeded hold-out of the
 * training rows ({@code 1 - train_portion} of each class).
 */
public final class SparkRetrain {

    private SparkRetrain() {}

    public static Builder builder(SparkSession spark) {
        return new Builder(spark);
    }

    public static final class Builder {

        private final SparkSession spark;
        private TrainerConfig config;
        private Map<String, List<String>> architecture;
        private String architectureSource;
        private String uniformOp;
        private Dataset<Row> rows;
        private Dataset<Row> testRows;
        private DatasetConfig testData;
        private String imageColumn;
        private String labelColumn;
        private OutputFolder output;
        private String outputPath;
        private int partitions;

        private Builder(SparkSession spark) {
            this.spark = spark;
        }

        /** The recipe and the data ({@link RetrainRun#recipe} gives the defaults). */
        public Builder setConfig(TrainerConfig config) {
            this.config = config;
            return this;
        }

        /** The network: label to chosen candidates, as {@code architecture.json} holds them. */
        public Builder setArchitecture(Map<String, List<String>> architecture, String source) {
            this.architecture = architecture;
            this.architectureSource = source;
            return this;
        }

        /** {@code architecture.json} as its text. */
        public Builder setArchitectureJson(String json, String source) {
            return setArchitecture(ArchitectureExport.parseArchitecture(json, source), source);
        }

        /** The uniform baseline instead: every cell runs {@code op}. */
        public Builder setUniform(String op) {
            this.uniformOp = op;
            return this;
        }

        public Builder setData(Dataset<Row> rows) {
            this.rows = rows;
            return this;
        }

        public Builder optImageColumn(String column) {
            this.imageColumn = column;
            return this;
        }

        public Builder optLabelColumn(String column) {
            this.labelColumn = column;
            return this;
        }

        /** A test table with the training data's image and label columns. */
        public Builder optTestData(Dataset<Row> rows) {
            this.testRows = rows;
            return this;
        }

        /** A test set as a path or table ({@code --test-data}). */
        public Builder optTestData(DatasetConfig dataset) {
            this.testData = dataset;
            return this;
        }

        /** The model folder: any Hadoop path. */
        public Builder setOutput(String path) {
            this.outputPath = path;
            return this;
        }

        public Builder setOutput(OutputFolder folder) {
            this.output = folder;
            return this;
        }

        public Builder optPartitions(int partitions) {
            this.partitions = Partitions.check(partitions);
            return this;
        }

        /** Trains, scores and writes the model folder, {@code _SUCCESS} last. */
        public RetrainRun.Result run() throws IOException {
            if (config == null || (output == null && outputPath == null) || (architecture == null) == (uniformOp == null)) {
                throw new IllegalStateException("setConfig, setOutput and one of setArchitecture or setUniform are required");
            }
            Map<String, List<String>> chosen = architecture;
            String source = architectureSource;
            if (uniformOp != null) {
                try (Supernet supernet = Supernet.of(config.searchSpace())) {
                    chosen = ChildArchitecture.uniform(supernet.choices(), uniformOp).chosen();
                }
                source = "--uniform " + uniformOp;
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int n = Partitions.resolve(partitions, sc);
            int shards = config.shards() > 0 ? config.shards() : n;
            ImageTable table = table();
            Function<DataSummary, Evaluator> test = testSet(n);
            OutputFolder folder = output != null ? output
                    : new HadoopOutputFolder(outputPath, spark.sparkContext().hadoopConfiguration());
            return RetrainRun.run(config, chosen, source, () -> SparkSearchData.of(spark, table, config, n, shards), test,
                    folder);
        }

        private ImageTable table() throws IOException {
            if (rows == null) {
                return DataSources.open(spark, config.dataset());
            }
            return ImageTable.of(rows, imageColumn(), labelColumn());
        }

        private String imageColumn() {
            return imageColumn != null ? imageColumn : config.dataset().imageColumn();
        }

        private String labelColumn() {
            return labelColumn != null ? labelColumn : config.dataset().labelColumn();
        }

        /** The test set given the training data's summary, or {@code null} for the hold-out. */
        private Function<DataSummary, Evaluator> testSet(int n) throws IOException {
            ImageTable table;
            if (testRows != null) {
                table = ImageTable.of(testRows, imageColumn(), labelColumn());
            } else if (testData != null) {
                table = DataSources.openTest(spark, testData);
            } else if (rows == null && DataSources.hasTestPart(spark, config.dataset())) {
                table = DataSources.openTest(spark, config.dataset());
            } else {
                return null;
            }
            return summary -> TestSets.hold(spark, table, summary.classNames(), config.spaceSpec(), config.computeDevice(),
                    summary.normalization(), n,
                    config.dataset().maxImagePixels());
        }
    }
}
