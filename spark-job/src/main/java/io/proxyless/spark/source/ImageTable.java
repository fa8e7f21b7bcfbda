package io.proxyless.spark.source;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Arrays;

/**
 * A table of labelled images, read lazily by Spark: which column holds the image (encoded bytes, a
 * raw tensor as binary, or {@code array<float>}), which the label (an integer or a class name), and
 * which, if any, names a row for error messages.
 *
 * @param originColumn a string column naming each row's file and row, or {@code null}
 * @param rawShape the CHW shape of raw binary images when the source knows it (IDX), else {@code null}
 * @param description what the table is, for messages and run.json
 * @param labelRows the label and origin columns alone, where the source can read them without the
 *     images (IDX's labels file); {@code rows} otherwise, whose columns Spark prunes itself
 */
public record ImageTable(Dataset<Row> rows, String imageColumn, String labelColumn, String originColumn, int[] rawShape,
        String description, Dataset<Row> labelRows) {

    public ImageTable {
        labelRows = labelRows != null ? labelRows : rows;
    }

    public ImageTable(Dataset<Row> rows, String imageColumn, String labelColumn, String originColumn, int[] rawShape,
            String description) {
        this(rows, imageColumn, labelColumn, originColumn, rawShape, description, null);
    }

    /** A table from code (spark-shell, a notebook, an application): the columns are checked when it is read. */
    public static ImageTable of(Dataset<Row> rows, String imageColumn, String labelColumn) {
        return new ImageTable(rows, imageColumn, labelColumn, null, null, "a Dataset<Row>");
    }

    /** Checks that the image and label columns exist, naming the missing one and listing those present. */
    public void checkColumns() {
        for (String[] column : new String[][] {{imageColumn, "image"}, {labelColumn, "label"}}) {
            if (!Arrays.asList(rows.columns()).contains(column[0])) {
                throw new io.proxyless.nas.data.BadDataException(description + ": no " + column[1] + " column '"
                        + column[0] + "' (--" + column[1] + "-column); its columns are "
                        + Arrays.toString(Arrays.stream(rows.columns()).filter(c -> !c.equals(DataSources.ORIGIN))
                                .toArray()));
            }
        }
    }
}
