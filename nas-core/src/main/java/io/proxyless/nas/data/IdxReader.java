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

    private IdxReader() {}

    /** Images as one byte array, row-major, with their count and size. */
    public record Images(byte[] pixels, int count, int rows, int cols) {}

    public static Images readImages(InputStream raw, String source) throws IOException {
        try (DataInputStream in = open(raw)) {
            int magic = readHeader(in, source);
            if (magic != IMAGES_MAGIC) {
                throw badMagic(source, magic, IMAGES_MAGIC);
            }
            int count = dimension(in, source, "image count");
            int rows = dimension(in, source, "rows");
            int cols = dimension(in, source, "cols");
            byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(count, rows), cols)];
            readFully(in, pixels, source, count + " images of " + rows + "x" + cols);
            return new Images(pixels, count, rows, cols);
        }
    }

    public static byte[] readLabels(InputStream raw, String source) throws IOException {
        try (DataInputStream in = open(raw)) {
            int magic = readHeader(in, source);
            if (magic != LABELS_MAGIC) {
                throw badMagic(source, magic, LABELS_MAGIC);
            }
            int count = dimension(in, source, "label count");
            byte[] labels = new byte[count];
            readFully(in, labels, source, count + " labels");
            return labels;
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

        private Records(DataInputStream in, String source, int count, int[] dimensions) {
            this.in = in;
            this.source = source;
            this.count = count;
            this.dimensions = dimensions;
            int size = 1;
            for (int d : dimensions) {
                size = Math.multiplyExact(size, d);
            }
            this.recordSize = size;
        }

        public int count() {
            return count;
        }

        /** The sizes of a record: {rows, cols} for images, {} for labels. */
        public int[] dimensions() {
            return dimensions.clone();
        }

        /** Reads records {@code from} (at or after the current one) to {@code from + n}, in one array. */
        public byte[] read(long from, int n) throws IOException {
            if (from < position || from + n > count) {
                throw new IllegalArgumentException("records " + from + ".." + (from + n) + " of " + count
                        + " from position " + position);
            }
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
            byte[] out = new byte[Math.multiplyExact(n, recordSize)];
            readFully(in, out, source, count + " records of " + recordSize + " bytes");
            position = from + n;
            return out;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Opens an images ({@code images = true}) or labels file and reads its header. */
    public static Records records(InputStream raw, String source, boolean images) throws IOException {
        DataInputStream in = open(raw);
        try {
            int magic = readHeader(in, source);
            int expected = images ? IMAGES_MAGIC : LABELS_MAGIC;
            if (magic != expected) {
                throw badMagic(source, magic, expected);
            }
            int count = dimension(in, source, images ? "image count" : "label count");
            int[] dims = images ? new int[] {dimension(in, source, "rows"), dimension(in, source, "cols")} : new int[0];
            return new Records(in, source, count, dims);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static DataInputStream open(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(buffered), 1 << 16) : buffered);
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
    }
}
