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
        assertEquals("checkpoints/step-000000000012.ckpt", store.newest().orElseThrow().name());
        assertFalse(Files.list(dir.resolve("checkpoints")).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));

        // A newest file cut short (the writer killed mid-write, on a file system without atomic rename).
        Path newest = dir.resolve("checkpoints/step-000000000012.ckpt");
        Files.write(newest, java.util.Arrays.copyOf(Files.readAllBytes(newest), 100));
        CheckpointStore.Loaded loaded = store.newest().orElseThrow();
        assertEquals("checkpoints/step-000000000009.ckpt", loaded.name());
        assertEquals("9", loaded.file().metadata().get("step"));

        // LATEST naming a file that is gone, and every file unreadable: nothing to resume from.
        Files.delete(newest);
        for (String name : store.names()) {
            Files.write(dir.resolve("checkpoints").resolve(name), new byte[] {1, 2, 3});
        }
        assertTrue(store.newest().isEmpty());
    }
}
