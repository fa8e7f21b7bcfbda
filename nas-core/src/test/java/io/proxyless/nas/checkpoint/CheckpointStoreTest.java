package io.proxyless.nas.checkpoint;

import io.proxyless.nas.io.LocalOutputFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {

    private static final long ANY_SIZE = 1 << 20;

    private static TensorFile file(long step) {
        return new TensorFile(Map.of("format", SearchCheckpoint.FORMAT, "version", SearchCheckpoint.VERSION,
                "step", Long.toString(step)),
                Map.of("weights/w", new float[] {1.5f, -2f, step}), Map.of("alpha/s0", new double[] {0.25, -1e-300, Math.PI}));
    }

    @Test
    void aTensorFileReadsBackBitForBitAndRefusesAlteredData() throws IOException {
        TensorFile original = file(7);
        byte[] bytes = original.toBytes();
        TensorFile read = TensorFile.parse(bytes, "t.ckpt");
        assertArrayEquals(original.floats().get("weights/w"), read.floats().get("weights/w"));
        assertArrayEquals(original.doubles().get("alpha/s0"), read.doubles().get("alpha/s0"));
        assertEquals("7", read.metadata().get("step"));
        bytes[bytes.length - 3] ^= 1;
        IOException altered = assertThrows(IOException.class, () -> TensorFile.parse(bytes, "t.ckpt"));
        assertTrue(altered.getMessage().startsWith("t.ckpt: data checksum"), altered.getMessage());
        IOException truncated = assertThrows(IOException.class,
                () -> TensorFile.parse(java.util.Arrays.copyOf(original.toBytes(), 40), "t.ckpt"));
        assertTrue(truncated.getMessage().startsWith("t.ckpt:"), truncated.getMessage());
    }

    @Test
    void theNewestReadableCheckpointWinsAndOnlyTheLastThreeAreKept(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(new LocalOutputFolder(dir), 3);
        for (long step : new long[] {3, 6, 9, 12}) {
            store.save(step, file(step));
        }
        assertEquals(List.of("step-000000000006.ckpt", "step-000000000009.ckpt", "step-000000000012.ckpt"), store.names());
        assertEquals("checkpoints/step-000000000012.ckpt", store.newest(ANY_SIZE, SearchCheckpoint::checkFormat).orElseThrow().name());
        assertFalse(Files.list(dir.resolve("checkpoints")).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));

        // A newest file cut short (the writer killed mid-write, on a file system without atomic rename).
        Path newest = dir.resolve("checkpoints/step-000000000012.ckpt");
        Files.write(newest, java.util.Arrays.copyOf(Files.readAllBytes(newest), 100));
        CheckpointStore.Loaded loaded = store.newest(ANY_SIZE, SearchCheckpoint::checkFormat).orElseThrow();
        assertEquals("checkpoints/step-000000000009.ckpt", loaded.name());
        assertEquals("9", loaded.file().metadata().get("step"));

        // LATEST naming a file that is gone, and every file unreadable: nothing to resume from.
        Files.delete(newest);
        for (String name : store.names()) {
            Files.write(dir.resolve("checkpoints").resolve(name), new byte[] {1, 2, 3});
        }
        assertTrue(store.newest(ANY_SIZE, SearchCheckpoint::checkFormat).isEmpty());
    }

    /** A file in the checkpoint layout with this header (its checksum added) and data. */
    private static byte[] crafted(String tensors, byte[] data) throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        byte[] json = ("{" + tensors + (tensors.isEmpty() ? "" : ",") + "\"__metadata__\":{\"format\":\""
                + SearchCheckpoint.FORMAT + "\",\"version\":\"1\",\"step\":\"99\",\"data_sha256\":\"" + sha + "\"}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + json.length + data.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data);
        return out.array();
    }

    /**
     * Each newer file is unusable in its own way (a 3 GB file, a header without data_offsets, offsets
     * that overflow, a shape the supernet does not have): each is skipped, naming it, and the valid
     * older checkpoint is used, without reading the large file.
     */
    @Test
    void everyUnusableCheckpointIsSkippedForTheNextOne(@TempDir Path dir) throws Exception {
        CheckpointStore store = new CheckpointStore(new LocalOutputFolder(dir), 10);
        store.save(3, file(3));
        Path folder = dir.resolve("checkpoints");
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(folder.resolve("step-000000000015.ckpt").toFile(),
                "rw")) {
            huge.setLength(3L << 30);
        }
        Files.write(folder.resolve("step-000000000014.ckpt"),
                crafted("\"weights/w\":{\"dtype\":\"F32\",\"shape\":[1]}", new byte[4]));
        Files.write(folder.resolve("step-000000000013.ckpt"), crafted("\"weights/w\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[9223372036854775800,9223372036854775804]}", new byte[4]));
        Files.write(folder.resolve("step-000000000012.ckpt"), file(12).toBytes());
        Files.writeString(folder.resolve("LATEST"), "checkpoints/step-000000000015.ckpt");
        List<String> refused = new java.util.ArrayList<>();
        CheckpointStore.Loaded loaded = store.newest(ANY_SIZE, (f, source) -> {
            SearchCheckpoint.checkFormat(f, source);
            if (f.floats().get("weights/w").length != 3 || f.metadata().get("step").equals("12")) {
                refused.add(source);
                throw new IOException(source + ": no weights/w of 3 values");
            }
        }).orElseThrow();
        assertEquals("checkpoints/step-000000000003.ckpt", loaded.name());
        assertEquals(List.of(folder.resolve("step-000000000012.ckpt").toString()), refused);
        // Each refusal on its own, with its reason.
        assertTrue(assertThrows(IOException.class, () -> TensorFile.read(Files.newInputStream(folder.resolve(
                "step-000000000015.ckpt")), 3L << 30, ANY_SIZE, "big")).getMessage().startsWith("big: 3221225472 bytes, more"));
        assertTrue(assertThrows(IOException.class, () -> TensorFile.parse(Files.readAllBytes(folder.resolve(
                "step-000000000014.ckpt")), "no-offsets")).getMessage().contains("no data_offsets"));
        assertTrue(assertThrows(IOException.class, () -> TensorFile.parse(Files.readAllBytes(folder.resolve(
                "step-000000000013.ckpt")), "overflow")).getMessage().contains("outside the 4 data bytes"));
    }
}
