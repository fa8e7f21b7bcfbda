package io.proxyless.udfs.classify;

import io.proxyless.nas.data.BadDataException;
import io.proxyless.nas.data.ImageDecoding;
import io.proxyless.nas.data.ImageLimits;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.util.List;

/**
 * An image cell as Spark hands it over (PNG/JPEG bytes or a raw tensor as {@code binary}, values in
 * [0, 1] as {@code array<float>} or {@code array<double>}), fitted to a model's input shape by the
 * data path's decoding.
 */
final class ImageInput {

    private ImageInput() {}

    /** Refuses a column type no image can have, before any task runs. */
    static void checkType(DataType type, String column) {
        boolean ok = type.equals(DataTypes.BinaryType)
                || (type instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType)
                        || a.elementType().equals(DataTypes.DoubleType)));
        if (!ok) {
            throw new BadDataException("classify: image column '" + column + "' has type " + type.simpleString()
                    + "; images are binary (PNG/JPEG bytes or a raw tensor) or array<float> in [0, 1]");
        }
    }

    /** The 8-bit CHW pixels of one cell for a model of input {@code shape}. */
    static byte[] pixels(Object cell, int[] shape, String where) {
        if (cell == null) {
            throw new BadDataException(where + ": the image is null");
        }
        if (cell instanceof byte[] bytes) {
            return ImageDecoding.decode(bytes, shape, shape, where, ImageLimits.DEFAULT_MAX_PIXELS);
        }
        if (cell instanceof scala.collection.Seq<?> seq) {
            return ImageDecoding.decode(floats(scala.jdk.javaapi.CollectionConverters.asJava(seq), where), shape, where);
        }
        if (cell instanceof List<?> list) {
            return ImageDecoding.decode(floats(list, where), shape, where);
        }
        throw new BadDataException(where + ": the image is a " + cell.getClass().getSimpleName()
                + "; images are binary (PNG/JPEG bytes or a raw tensor) or array<float> in [0, 1]");
    }

    private static float[] floats(List<?> values, String where) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(values.get(i) instanceof Number n)) {
                throw new BadDataException(where + ": value " + i + " of the image is " + values.get(i));
            }
            out[i] = n.floatValue();
        }
        return out;
    }
}
