package io.proxyless.spark.source;

import io.proxyless.nas.data.BadDataException;
import io.proxyless.nas.data.ImageDecoding;
import io.proxyless.nas.data.RowKey;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.io.Serializable;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Executor side of reading: each row of a table becomes a {@link LabeledImage} in the space's input
 * shape, decoded where the row was read. Errors name the row's origin (file and row).
 */
public final class TableDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private enum Kind { BINARY, FLOATS, DOUBLES }

    private final LabelIndex labels;
    private final int[] rawShape;
    private final int[] shape;
    private final Kind kind;
    private final String description;
    private final String labelColumn;
    private final long maxPixels;

    private TableDecoder(LabelIndex labels, int[] rawShape, int[] shape, Kind kind, String description,
            String labelColumn, long maxPixels) {
        this.labels = labels;
        this.rawShape = rawShape;
        this.shape = shape;
        this.kind = kind;
        this.description = description;
        this.labelColumn = labelColumn;
        this.maxPixels = maxPixels;
    }

    /**
     * The decoded rows of {@code table} for a space of input {@code shape} (CHW); an encoded image that
     * declares more than {@code maxPixels} pixels is refused before it is decoded.
     */
    public static JavaRDD<LabeledImage> decode(ImageTable table, LabelIndex labels, int[] shape, long maxPixels) {
        DataType type = table.rows().schema().apply(table.imageColumn()).dataType();
        Kind kind;
        if (type.equals(DataTypes.BinaryType)) {
            kind = Kind.BINARY;
        } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
            kind = Kind.FLOATS;
        } else if (type instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType)) {
            kind = Kind.DOUBLES;
        } else {
            throw new BadDataException(table.description() + ": image column '" + table.imageColumn() + "' has type "
                    + type.simpleString() + "; images are binary (PNG/JPEG bytes or a raw tensor) or array<float>");
        }
        TableDecoder decoder = new TableDecoder(labels, table.rawShape(), shape.clone(), kind, table.description(),
                table.labelColumn(), maxPixels);
        return table.rows()
                .select(table.originColumn() != null ? col(table.originColumn()) : lit(null).cast("string"),
                        col(table.labelColumn()), col(table.imageColumn()))
                .toJavaRDD()
                .map(decoder::decodeRow);
    }

    private LabeledImage decodeRow(Row row) {
        Object label = row.get(1);
        String where = row.isNullAt(0) ? description + ", the row labelled '" + label + "' ('" + labelColumn + "')"
                : row.getString(0);
        int index = labels.indexOf(label, where);
        if (row.isNullAt(2)) {
            throw new BadDataException(where + ": the image is null");
        }
        byte[] pixels = switch (kind) {
            case BINARY -> ImageDecoding.decode((byte[]) row.get(2), rawShape, shape, where, maxPixels);
            case FLOATS -> ImageDecoding.decode(floats(row.<Float>getList(2), where), shape, where);
            case DOUBLES -> ImageDecoding.decode(floats(row.<Double>getList(2), where), shape, where);
        };
        return new LabeledImage(index, RowKey.of(pixels, 0, pixels.length), pixels);
    }

    private static float[] floats(List<? extends Number> values, String where) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Number v = values.get(i);
            if (v == null) {
                throw new BadDataException(where + ": the image has a null at index " + i);
            }
            out[i] = v.floatValue();
        }
        return out;
    }
}
