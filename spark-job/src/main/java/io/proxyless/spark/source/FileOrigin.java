package io.proxyless.spark.source;

import io.proxyless.nas.config.DatasetConfig;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

/** Names each row of a file-backed table by its file and row index, where Spark knows them. */
final class FileOrigin {

    private FileOrigin() {}

    static ImageTable named(Dataset<Row> rows, DatasetConfig dataset, String description) {
        List<String> columns = Arrays.asList(rows.columns());
        Dataset<Row> named = rows;
        String origin = null;
        if (!columns.contains(DataSources.ORIGIN)) {
            try {
                named = rows.withColumn(DataSources.ORIGIN, concat(col("_metadata.file_path"), lit(" row "),
                        col("_metadata.row_index").cast("string")));
                origin = DataSources.ORIGIN;
            } catch (Exception e) { // an AnalysisException, which Java cannot name in a catch
                // Not file-backed, or a format without row indices: rows are then named by their label.
                named = rows;
            }
        }
        return new ImageTable(named, dataset.imageColumn(), dataset.labelColumn(), origin, null, description);
    }
}
