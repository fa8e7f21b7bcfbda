package io.proxyless.nas.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Real, valid files whose headers promise far more than their bytes: what an attacker hands a reader
 * to exhaust its memory. Tests of several modules write them.
 */
public final class HostileImages {

    private HostileImages() {}

    /**
     * A valid 8-bit grayscale PNG of {@code width x height} black pixels, streamed row by row through
     * deflate: a few megabytes on disk that decode to {@code width * height} bytes.
     */
    public static byte[] pngBomb(int width, int height) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(header);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0});
        chunk(file, "IHDR", header.toByteArray());
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION),
                1 << 16)) {
            byte[] row = new byte[width + 1];
            for (int y = 0; y < height; y++) {
                deflate.write(row);
            }
        }
        chunk(file, "IDAT", compressed.toByteArray());
        chunk(file, "IEND", new byte[0]);
        return file.toByteArray();
    }

    public static void writePngBomb(Path file, int width, int height) throws IOException {
        Files.write(file, pngBomb(width, height));
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.write(name);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
