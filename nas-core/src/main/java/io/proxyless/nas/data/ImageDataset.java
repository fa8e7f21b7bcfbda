package io.proxyless.nas.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Images and their labels, kept as 8-bit CHW pixels (a quarter of the memory of floats; they are
 * normalised on the way out, batch by batch), with each row's content key ({@link RowKey}). Loads
 * the MNIST/Fashion-MNIST IDX layout ({@code train-images-idx3-ubyte[.gz]} and
 * {@code train-labels-idx1-ubyte[.gz]}) for the in-process path.
 */
public final class ImageDataset implements Serializable {

    private static final long serialVersionUID = 2L;

    /** Fashion-MNIST's training-set mean and standard deviation. */
    public static final float FASHION_MNIST_MEAN = 0.2860f;

    public static final float FASHION_MNIST_STD = 0.3530f;

    private final byte[] pixels;
    private final int[] labels;
    private final long[] keys;
    private final int channels;
    private final int height;
    private final int width;

    public ImageDataset(byte[] pixels, int[] labels, long[] keys, int channels, int height, int width) {
        if (pixels.length != (long) labels.length * channels * height * width || keys.length != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels and " + keys.length + " keys do not match "
                    + pixels.length + " pixels of " + channels + "x" + height + "x" + width);
        }
        this.pixels = pixels;
        this.labels = labels;
        this.keys = keys;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** The rows, in list order, each of {@code shape} (CHW). */
    public static ImageDataset of(java.util.List<? extends ImageRow> rows, int[] shape) {
        int size = shape[0] * shape[1] * shape[2];
        byte[] pixels = new byte[rows.size() * size];
        int[] labels = new int[rows.size()];
        long[] keys = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            ImageRow r = rows.get(i);
            labels[i] = r.label();
            keys[i] = r.key();
            System.arraycopy(r.pixels(), 0, pixels, i * size, size);
        }
        return new ImageDataset(pixels, labels, keys, shape[0], shape[1], shape[2]);
    }

    /** Images whose keys are computed from their pixels. */
    public static ImageDataset of(byte[] pixels, int[] labels, int channels, int height, int width) {
        int size = channels * height * width;
        long[] keys = new long[labels.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = RowKey.of(pixels, i * size, size);
        }
        return new ImageDataset(pixels, labels, keys, channels, height, width);
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
            images = IdxReader.readImages(in, folder.describe(imagesName), folder.length(imagesName));
        } catch (IOException e) {
            throw naming(folder.describe(imagesName), e);
        }
        byte[] labels;
        try (InputStream in = folder.open(labelsName)) {
            labels = IdxReader.readLabels(in, folder.describe(labelsName), folder.length(labelsName));
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
        int[] classes = new int[labels.length];
        for (int row = 0; row < labels.length; row++) {
            classes[row] = Byte.toUnsignedInt(labels[row]);
        }
        return of(images.pixels(), classes, 1, images.rows(), images.cols());
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

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** {channels, height, width}. */
    public int[] shape() {
        return new int[] {channels, height, width};
    }

    public int label(int index) {
        return labels[index];
    }

    public long key(int index) {
        return keys[index];
    }

    private int imageSize() {
        return channels * height * width;
    }

    /** A dataset holding only the given rows, in that order. */
    public ImageDataset subset(int[] indices) {
        int size = imageSize();
        byte[] p = new byte[indices.length * size];
        int[] l = new int[indices.length];
        long[] k = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, p, i * size, size);
            l[i] = labels[indices[i]];
            k[i] = keys[indices[i]];
        }
        return new ImageDataset(p, l, k, channels, height, width);
    }

    /** The 8-bit pixels of the given rows, one after another, CHW each. */
    public byte[] pixels(int[] indices) {
        int size = imageSize();
        byte[] out = new byte[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, out, i * size, size);
        }
        return out;
    }

    /** Normalised pixels {@code (x/255 - mean[c]) / std[c]} of the given rows, NCHW. */
    public float[] images(int[] indices, Normalization norm) {
        return images(indices, norm, null, 0, null);
    }

    /**
     * Normalised pixels of the given rows, NCHW, each row augmented by {@code augmentation} (when not
     * null) with the stream of ({@code stepSeed}, {@code rowIds[i]}), so the same row of the same step
     * looks the same wherever it is computed.
     */
    public float[] images(int[] indices, Normalization norm, Augmentation augmentation, long stepSeed, int[] rowIds) {
        if (norm.channels() != channels) {
            throw new IllegalArgumentException("a normalisation of " + norm.channels() + " channels for images of "
                    + channels);
        }
        int plane = height * width;
        int size = imageSize();
        float[] out = new float[indices.length * size];
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = 1f / (255f * norm.std()[c]);
            shift[c] = norm.mean()[c] / norm.std()[c];
        }
        for (int i = 0; i < indices.length; i++) {
            int base = indices[i] * size;
            int target = i * size;
            if (augmentation != null) {
                augmentation.apply(pixels, base, out, target, channels, height, width, scale, shift,
                        stepSeed, rowIds[i]);
                continue;
            }
            for (int c = 0; c < channels; c++) {
                float sc = scale[c];
                float sh = shift[c];
                int from = base + c * plane;
                int to = target + c * plane;
                for (int j = 0; j < plane; j++) {
                    out[to + j] = (pixels[from + j] & 0xff) * sc - sh;
                }
            }
        }
        return out;
    }

    /** The exact pixel sums of every row, for a normalisation computed from the data. */
    public PixelSums pixelSums() {
        PixelSums sums = new PixelSums(channels);
        for (int i = 0; i < labels.length; i++) {
            sums.add(pixels, i * imageSize(), channels, height * width);
        }
        return sums;
    }

    /**
     * A checksum of every row's key and label at its row number: what a checkpoint's data fingerprint
     * compares. A sum of per-row terms, so the rows of a split held in many partitions give the same value.
     */
    public long checksum() {
        return checksum(null);
    }

    /** {@link #checksum()} of rows that are rows {@code rowIds} of a split (a partition's share of it); null: 0, 1, ... */
    public long checksum(int[] rowIds) {
        long sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum += RowKey.checksumTerm(rowIds == null ? i : rowIds[i], labels[i], keys[i]);
        }
        return sum;
    }

    /** How many rows each label has, by label. */
    public java.util.SortedMap<Integer, Integer> classCounts() {
        java.util.SortedMap<Integer, Integer> counts = new java.util.TreeMap<>();
        for (int label : labels) {
            counts.merge(label, 1, Integer::sum);
        }
        return counts;
    }

    public int[] labels(int[] indices) {
        return Arrays.stream(indices).map(this::label).toArray();
    }
}
