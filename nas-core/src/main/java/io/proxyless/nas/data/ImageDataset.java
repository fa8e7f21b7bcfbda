package io.proxyless.nas.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Grayscale images and their labels, kept as bytes; batches are normalised on the way out.
 * Loads the MNIST/Fashion-MNIST IDX layout ({@code train-images-idx3-ubyte[.gz]} and
 * {@code train-labels-idx1-ubyte[.gz]}).
 */
public final class ImageDataset implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Fashion-MNIST's training-set mean and standard deviation. */
    public static final float FASHION_MNIST_MEAN = 0.2860f;

    public static final float FASHION_MNIST_STD = 0.3530f;

    private final byte[] pixels;
    private final byte[] labels;
    private final int rows;
    private final int cols;

    public ImageDataset(byte[] pixels, byte[] labels, int rows, int cols) {
        if (pixels.length != labels.length * rows * cols) {
            throw new IllegalArgumentException(
                    labels.length + " labels do not match " + pixels.length + " pixels of " + rows + "x" + cols);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Loads the training split of an IDX folder and checks every label against the class count.
     *
     * @param split {@code train} or {@code t10k}
     */
    public static ImageDataset loadIdx(FileSource folder, String split, int numClasses) throws IOException {
        String imagesName = find(folder, split + "-images-idx3-ubyte");
        String labelsName = find(folder, split + "-labels-idx1-ubyte");
        IdxReader.Images images;
        try (InputStream in = folder.open(imagesName)) {
            images = IdxReader.readImages(in, folder.describe(imagesName));
        } catch (IOException e) {
            throw naming(folder.describe(imagesName), e);
        }
        byte[] labels;
        try (InputStream in = folder.open(labelsName)) {
            labels = IdxReader.readLabels(in, folder.describe(labelsName));
        } catch (IOException e) {
            throw naming(folder.describe(labelsName), e);
        }
        if (labels.length != images.count()) {
            throw new IOException(folder.describe(labelsName) + ": " + labels.length + " labels but "
                    + folder.describe(imagesName) + " has " + images.count() + " images");
        }
        for (int row = 0; row < labels.length; row++) {
            int label = Byte.toUnsignedInt(labels[row]);
            if (label >= numClasses) {
                throw new IOException(folder.describe(labelsName) + ": row " + row + " has label " + label
                        + ", outside the " + numClasses + " classes (num_classes)");
            }
        }
        return new ImageDataset(images.pixels(), labels, images.rows(), images.cols());
    }

    /** The error with the file's name in front, unless it names it already (a gzip or Hadoop error does not). */
    private static IOException naming(String file, IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains(file) ? e : new IOException(file + ": " + message, e);
    }

    private static String find(FileSource folder, String base) throws IOException {
        for (String name : new String[] {base + ".gz", base}) {
            if (folder.exists(name)) {
                return name;
            }
        }
        throw new IOException("dataset file " + folder.describe(base + ".gz") + " (or without .gz) not found");
    }

    public int size() {
        return labels.length;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int label(int index) {
        return Byte.toUnsignedInt(labels[index]);
    }

    /** A dataset holding only the given rows, in that order. */
    public ImageDataset subset(int[] indices) {
        int pixelsPerImage = rows * cols;
        byte[] p = new byte[indices.length * pixelsPerImage];
        byte[] l = new byte[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * pixelsPerImage, p, i * pixelsPerImage, pixelsPerImage);
            l[i] = labels[indices[i]];
        }
        return new ImageDataset(p, l, rows, cols);
    }

    /** Normalised pixels {@code (x/255 - mean) / std} of the given rows, NCHW with one channel. */
    public float[] images(int[] indices, float mean, float std) {
        int pixelsPerImage = rows * cols;
        float[] out = new float[indices.length * pixelsPerImage];
        float scale = 1f / (255f * std);
        float shift = mean / std;
        for (int i = 0; i < indices.length; i++) {
            int base = indices[i] * pixelsPerImage;
            int target = i * pixelsPerImage;
            for (int j = 0; j < pixelsPerImage; j++) {
                out[target + j] = Byte.toUnsignedInt(pixels[base + j]) * scale - shift;
            }
        }
        return out;
    }

    /** A CRC-32 of every pixel and label, in row order: what a checkpoint's data fingerprint compares. */
    public long checksum() {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(pixels);
        crc.update(labels);
        return crc.getValue();
    }

    /** How many rows each label has, by label. */
    public java.util.SortedMap<Integer, Integer> classCounts() {
        java.util.SortedMap<Integer, Integer> counts = new java.util.TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            counts.merge(label(i), 1, Integer::sum);
        }
        return counts;
    }

    public int[] labels(int[] indices) {
        return Arrays.stream(indices).map(this::label).toArray();
    }
}
