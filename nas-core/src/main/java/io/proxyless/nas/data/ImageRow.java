package io.proxyless.nas.data;

/** One decoded image as the data path holds it: class index, content key, 8-bit CHW pixels. */
public interface ImageRow {

    int label();

    /** The content key ({@link RowKey}). */
    long key();

    byte[] pixels();
}
