package io.proxyless.nas.data;

import io.proxyless.nas.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    static byte[] images(int magic, int count, int rows, int cols, int dataBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < dataBytes; i++) {
            out.writeByte(i % 256);
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int... values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x801);
        out.writeInt(values.length);
        for (int v : values) {
            out.writeByte(v);
        }
        return bytes.toByteArray();
    }

    static void write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
    }

    @Test
    void readsGzippedAndPlainFilesAlike(@TempDir Path dir) throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), images(0x803, 3, 2, 2, 12), true);
        write(dir.resolve("train-labels-idx1-ubyte"), labels(0, 2, 1), false);
        ImageDataset data = ImageDataset.loadIdx(new LocalFileSource(dir), "train", 10);
        assertEquals(3, data.size());
        assertEquals(2, data.label(1));
        float[] x = data.images(new int[] {1}, new Normalization(new float[] {0f}, new float[] {1f}));
        assertEquals(4 / 255f, x[0], 1e-6);
    }

    @Test
    void truncatedImagesNameTheFileAndTheShortfall(@TempDir Path dir) throws IOException {
        write(dir.resolve("train-images-idx3-ubyte.gz"), images(0x803, 3, 2, 2, 7), true);
        write(dir.resolve("train-labels-idx1-ubyte.gz"), labels(0, 1, 2), true);
        IOException e = assertThrows(IOException.class, () -> ImageDataset.loadIdx(new LocalFileSource(dir), "train", 10));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz") && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    /** A gzip stream cut short fails inside the decompressor, whose message names no file; ours does. */
    @Test
    void aTruncatedGzipFileIsNamed(@TempDir Path dir) throws IOException {
        Path real = TestData.fashionMnistFolder();
        byte[] images = Files.readAllBytes(real.resolve("train-images-idx3-ubyte.gz"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), java.util.Arrays.copyOf(images, images.length / 3));
        Files.copy(real.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));
        IOException e = assertThrows(IOException.class, () -> ImageDataset.loadIdx(new LocalFileSource(dir), "train", 10));
        assertTrue(e.getMessage().startsWith(dir.resolve("train-images-idx3-ubyte.gz") + ": "), e.getMessage());
    }

    /** Headers are checked against the file's size before anything is allocated, gzipped or not. */
    @Test
    void aHeaderPromisingMoreThanTheFileHoldsIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        for (boolean gzip : new boolean[] {false, true}) {
            String name = "train-images-idx3-ubyte" + (gzip ? ".gz" : "");
            write(dir.resolve(name), images(0x803, Integer.MAX_VALUE, 28, 28, 784 * 3), gzip);
            write(dir.resolve("train-labels-idx1-ubyte"), labels(0, 1, 2), false);
            IOException e = assertThrows(IOException.class, () -> ImageDataset.loadIdx(new LocalFileSource(dir), "train", 10));
            assertTrue(e.getMessage().startsWith(dir.resolve(name) + ": the header declares 2147483647 records of 784 bytes")
                    && e.getMessage().contains("can hold"), e.getMessage());
            Files.delete(dir.resolve(name));
        }
        write(dir.resolve("train-images-idx3-ubyte"), images(0x803, 1, 100000, 100000, 16), false);
        IOException huge = assertThrows(IOException.class, () -> ImageDataset.loadIdx(new LocalFileSource(dir), "train", 10));
        assertTrue(huge.getMessage().contains("images of 100000x100000 pixels, more than the limit of 50000000"),
                huge.getMessage());
    }

    @Test
    void wrongMagicIsRejected(@TempDir Path dir) throws IOException {
        write(dir.resolve("train-images-idx3-ubyte"), images(0x1234, 1, 2, 2, 4), false);
        write(dir.resolve("train-labels-idx1-ubyte"), labels(0), false);
        IOException e = assertThrows(IOException.class, () -> ImageDataset.loadIdx(new LocalFileSource(dir), "train", 10));
        assertTrue(e.getMessage().contains("magic 0x00001234") && e.getMessage().contains("train-images-idx3-ubyte"),
                e.getMessage());
    }

    @Test
    void labelsOutsideTheClassRangeNameRowAndValue(@TempDir Path dir) throws IOException {
        write(dir.resolve("train-images-idx3-ubyte"), images(0x803, 3, 2, 2, 12), false);
        write(dir.resolve("train-labels-idx1-ubyte"), labels(1, 12, 3), false);
        IOException e = assertThrows(IOException.class, () -> ImageDataset.loadIdx(new LocalFileSource(dir), "train", 10));
        assertTrue(e.getMessage().contains("row 1 has label 12") && e.getMessage().contains("train-labels-idx1-ubyte"),
                e.getMessage());
    }
}
