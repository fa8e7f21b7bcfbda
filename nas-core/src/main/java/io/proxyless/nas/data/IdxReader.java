package io.proxyless.nas.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (MNIST, Fashion-MNIST), gzipped or not: unsigned-byte images ({@code 0x803}) and
 * labels ({@code 0x801}). Errors name the source.
 */
public final class IdxReader {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;
    /** deflate's largest expansion: 1032 output bytes from one input byte at best. */
    static final long GZIP_MAX_RATIO = 1032;
    /** The most pixels an IDX image may declare: as many as {@code dataset.max_image_pixels}' default. */
    public static final long MAX_IMAGE_PIXELS = ImageLimits.DEFAULT_MAX_PIXELS;

    private IdxReader() {}

    /** Images as one byte array, row-major, with their count and size. */
    public record Images(byte[] pixels, int count, int rows, int cols) {}

    /**
     * A whole images file. {@code length} is the file's size in bytes (or -1 when unknown): the header's
     * count and size are checked against it before anything is allocated.
     */
    public static Images readImages(InputStream raw, String source, long length) throws IOException {
        try (Records records = records(raw, source, true, length)) {
            int[] dims = records.dimensions();
            return new Images(records.read(0, records.count()), records.count(), dims[0], dims[1]);
        }
    }

    /** A whole labels file; {@code length} as for {@link #readImages}. */
    public static byte[] readLabels(InputStream raw, String source, long length) throws IOException {
        try (Records records = records(raw, source, false, length)) {
            return records.read(0, records.count());
        }
    }

    /**
     * Fixed-size records of an IDX file read as a stream from any record on: what a task reading one
     * range of rows needs. Closing closes the underlying stream.
     */
    public static final class Records implements AutoCloseable {
        private final DataInputStream in;
        private final String source;
        private final int count;
        private final int[] dimensions;
        private final int recordSize;
        private long position;

        private Records(DataInputStream in, String source, int count, int[] dimensions, int recordSize) {
            this.in = in;
            this.source = source;
            this.count = count;
            this.dimensions = dimensions;
            this.recordSize = recordSize;
        }

        public int count() {
            return count;
        }

        /** The sizes of a record: {rows, cols} for images, {} for labels. */
        public int[] dimensions() {
            return dimensions.clone();
        }

        /**
         * Reads records {@code from} (at or after the current one) to {@code from + n}, in one array.
         * Every failure names the file, the decompressor's too (its own messages name none).
         */
        public byte[] read(long from, int n) throws IOException {
            if (from < position || from + n > count) {
                throw new IllegalArgumentException("records " + from + ".." + (from + n) + " of " + count
                        + " from position " + position);
            }
            if ((long) n * recordSize > Integer.MAX_VALUE - 8) {
                throw new IdxFormatException(source + ": " + n + " records of " + recordSize
                        + " bytes do not fit in one array; read fewer at a time");
            }
            try {
                long skip = (from - position) * recordSize;
                while (skip > 0) {
                    long skipped = in.skip(skip);
                    if (skipped <= 0) {
                        if (in.read() < 0) {
                            throw new IdxFormatException(source + ": truncated before record " + from + " of " + count);
                        }
                        skipped = 1;
                    }
                    skip -= skipped;
                }
                byte[] out = new byte[n * recordSize];
                readFully(in, out, source, count + " records of " + recordSize + " bytes");
                position = from + n;
                return out;
            } catch (IdxFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new IdxFormatException(source + ": " + e.getMessage() + " (reading records " + from + ".."
                        + (from + n) + " of " + count + "; is the file complete?)", e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Opens an images ({@code images = true}) or labels file and reads its header. What the header
     * declares is checked before it is trusted: an image of at most {@link #MAX_IMAGE_PIXELS} pixels,
     * and, given the file's {@code length} in bytes (-1 when unknown), no more data than a file of
     * that size can hold (a gzip stream expands at most {@value #GZIP_MAX_RATIO}-fold).
     */
    public static Records records(InputStream raw, String source, boolean images, long length) throws IOException {
        DataInputStream in;
        boolean gzip;
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            gzip = isGzip(buffered);
            in = new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(buffered), 1 << 16) : buffered);
        } catch (IOException e) {
            raw.close();
            throw new IdxFormatException(source + ": " + e.getMessage());
        }
        try {
            int magic = readHeader(in, source);
            int expected = images ? IMAGES_MAGIC : LABELS_MAGIC;
            if (magic != expected) {
                throw badMagic(source, magic, expected);
            }
            int count = dimension(in, source, images ? "image count" : "label count");
            int[] dims = images ? new int[] {dimension(in, source, "rows"), dimension(in, source, "cols")} : new int[0];
            long recordSize = images ? (long) dims[0] * dims[1] : 1;
            if (recordSize > MAX_IMAGE_PIXELS) {
                throw new IdxFormatException(source + ": the header declares images of " + dims[0] + "x" + dims[1]
                        + " pixels, more than the limit of " + MAX_IMAGE_PIXELS);
            }
            long declared = count * recordSize;
            long header = 4L * (2 + dims.length);
            long capacity = length < 0 ? Long.MAX_VALUE : gzip ? length * GZIP_MAX_RATIO : length - header;
            if (declared > capacity) {
                throw new IdxFormatException(source + ": the header declares " + count + " records of " + recordSize
                        + " bytes (" + declared + " bytes), more than " + (gzip ? "a gzip file" : "a file") + " of "
                        + length + " bytes can hold" + (gzip ? " (at most " + capacity + ")" : ""));
            }
            return new Records(in, source, count, dims, (int) recordSize);
        } catch (IdxFormatException | RuntimeException e) {
            in.close();
            throw e;
        } catch (IOException e) {
            in.close();
            throw new IdxFormatException(source + ": " + e.getMessage() + " (in the header)");
        }
    }

    /** Whether a stream starts with gzip's magic number; the stream is left where it was. */
    private static boolean isGzip(BufferedInputStream buffered) throws IOException {
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    private static int readHeader(DataInputStream in, String source) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(source + ": file is empty or shorter than an IDX header");
        }
    }

    private static int dimension(DataInputStream in, String source, String what) throws IOException {
        int value;
        try {
            value = in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(source + ": truncated header (missing " + what + ")");
        }
        if (value < 0) {
            throw new IdxFormatException(source + ": negative " + what + " " + value);
        }
        return value;
    }

    private static void readFully(DataInputStream in, byte[] target, String source, String what) throws IOException {
        int read = 0;
        while (read < target.length) {
            int n = in.read(target, read, target.length - read);
            if (n < 0) {
                throw new IdxFormatException(
                        source + ": truncated: header promises " + what + " (" + target.length
                                + " bytes) but data ends after " + read + " bytes");
            }
            read += n;
        }
    }

    private static IdxFormatException badMagic(String source, int magic, int expected) {
        return new IdxFormatException(String.format(Locale.ROOT,
                "%s: not an IDX %s file (magic 0x%08x, expected 0x%08x)",
                source, expected == IMAGES_MAGIC ? "image" : "label", magic, expected));
    }

    /** A malformed IDX file. */
    public static final class IdxFormatException extends IOException {
        private static final long serialVersionUID = 1L;

        public IdxFormatException(String message) {
            super(message);
        }

        public IdxFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
