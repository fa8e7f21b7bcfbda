package io.proxyless.spark.bench;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.spark.SparkHome;
import io.proxyless.spark.SparkTestSupport;
import io.proxyless.spark.job.SparkSearch;
import io.proxyless.spark.job.SparkSearchData;
import io.proxyless.spark.source.DataSources;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

/**
 * Memory of the data path as the table grows (scripts/bench/data_memory.sh): synthetic 28x28
 * Parquet tables of each size in {@code bench.rows}, split and cached on {@code local-cluster} with
 * two executor JVMs. Prints the driver's heap after a full GC, before and after, and each
 * executor's storage memory holding the cached partitions.
 */
public final class DataMemoryBenchmark {

    public static void main(String[] args) throws Exception {
        String[] sizes = System.getProperty("bench.rows", "60000,600000").split(",");
        Path dir = Files.createTempDirectory("data-memory");
        System.out.printf(Locale.ROOT, "%-9s %-10s %14s %14s %14s %14s %12s%n", "rows", "parquet", "driver before",
                "driver after", "executor 0", "executor 1", "split s");
        for (String size : sizes) {
            long rows = Long.parseLong(size);
            Path table = dir.resolve("rows-" + rows);
            try (SparkSession spark = SparkSearch.session("local[2]")) {
                // Random pixels, so Parquet cannot compress them away: 784 bytes a row, as Fashion-MNIST's.
                Dataset<Row> data = spark.range(rows).repartition(8)
                        .select(col("id").mod(10).cast("int").as("label"),
                                expr("unhex(concat_ws('', transform(sequence(1, 98), i -> "
                                        + "lpad(hex(xxhash64(id, i)), 16, '0'))))").as("image"));
                data.write().parquet(table.toUri().toString());
            }
            long parquetBytes;
            try (var files = Files.walk(table)) {
                parquetBytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            TrainerConfig base = TrainerConfig.builder().build();
            TrainerConfig config = base.toBuilder().optDataset(base.dataset().withPath(table.toString())).build();
            try (SparkSession spark = SparkSession.builder()
                    .config(SparkTestSupport.localCluster(SparkHome.prepare(), "data memory")
                            .set("spark.executor.memory", "2g"))
                    .getOrCreate()) {
                long before = driverHeap();
                long start = System.nanoTime();
                try (SparkSearchData splits = SparkSearchData.of(spark, DataSources.open(spark, config.dataset()),
                        config, 2, 2)) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long after = driverHeap();
                    long[] executors = new long[2];
                    for (SparkExecutorInfo e : spark.sparkContext().statusTracker().getExecutorInfos()) {
                        if (!e.host().isEmpty() && e.totalOnHeapStorageMemory() > 0 && e.port() > 0
                                && !"driver".equals(executorId(spark, e))) {
                            int slot = executors[0] == 0 ? 0 : 1;
                            executors[slot] = e.usedOnHeapStorageMemory() + e.usedOffHeapStorageMemory();
                        }
                    }
                    System.out.printf(Locale.ROOT, "%-9d %-10s %14s %14s %14s %14s %12.1f%n", rows, mb(parquetBytes),
                            mb(before), mb(after), mb(executors[0]), mb(executors[1]), seconds);
                    System.out.printf(Locale.ROOT, "          split: %d weight + %d architecture rows%n",
                            splits.summary().weightSize(), splits.summary().archSize());
                }
            }
        }
    }

    /** The executor id behind a status entry: the driver's block manager reports storage too. */
    private static String executorId(SparkSession spark, SparkExecutorInfo e) {
        String driverHost = spark.sparkContext().getConf().get("spark.driver.host");
        int driverPort = spark.sparkContext().env().blockManager().blockManagerId().port();
        return e.host().equals(driverHost) && e.port() == driverPort ? "driver" : "executor";
    }

    private static long driverHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
