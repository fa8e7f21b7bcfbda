package io.proxyless.spark.source;

import io.proxyless.nas.data.ImageRow;

import java.io.Serializable;

/**
 * One decoded row: its class index, its content key ({@link io.proxyless.nas.data.RowKey}) and its
 * 8-bit CHW pixels in the space's input shape.
 */
public record LabeledImage(int label, long key, byte[] pixels) implements ImageRow, Serializable {}
