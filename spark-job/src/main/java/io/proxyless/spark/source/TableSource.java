package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import org.apache.spark.sql.SparkSession;

/** A table of the Spark catalog, named without a path (Hive, Delta, Iceberg, a view). */
final class TableSource implements DataSource {

    @Override
    public String name() {
        return "table";
    }

    @Override
    public boolean detects(SparkSession spark, Location location) {
        return !location.pathLike() && spark.catalog().tableExists(location.text());
    }

    @Override
    public ImageTable open(SparkSession spark, DatasetConfig dataset, Part part) {
        String name = dataset.pathOrDefault();
        return FileOrigin.named(spark.table(name), dataset, "table " + name);
    }
}
