package io.proxyless.spark.ml;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/**
 * What the estimators that fit a {@link ProxylessModel} share: the image and label columns, the
 * trainer arguments as YAML, and the model folder they write.
 *
 * @param <T> the estimator itself, which the setters return
 */
public abstract class ImageEstimator<T extends ImageEstimator<T>> extends Estimator<ProxylessModel>
        implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> imageCol;
    private final Param<String> labelCol;
    private final Param<String> config;
    private final Param<String> modelDir;

    protected ImageEstimator(String uid) {
        this.uid = uid;
        // Params name their parent by uid: they are made once it is set.
        imageCol = new Param<>(this, "imageCol", "image column: PNG/JPEG bytes, raw bytes or array<float>");
        labelCol = new Param<>(this, "labelCol", "label column: class index or name");
        config = new Param<>(this, "config", "trainer arguments as YAML (model, optimizer, ...), as conf files hold them");
        modelDir = new Param<>(this, "modelDir", "where the model folder is written (a Hadoop path)");
        setDefault(imageCol, "image");
        setDefault(labelCol, "label");
        setDefault(config, "");
    }

    protected abstract T self();

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> imageCol() {
        return imageCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> config() {
        return config;
    }

    public Param<String> modelDir() {
        return modelDir;
    }

    public T setImageCol(String value) {
        set(imageCol, value);
        return self();
    }

    public T setLabelCol(String value) {
        set(labelCol, value);
        return self();
    }

    public T setConfig(String yaml) {
        set(config, yaml);
        return self();
    }

    public T setModelDir(String value) {
        set(modelDir, value);
        return self();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        for (String column : new String[] {$(imageCol), $(labelCol)}) {
            if (!Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": no column '" + column + "' in "
                        + schema.simpleString());
            }
        }
        return schema;
    }

    @Override
    public T copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
