package io.proxyless.nas.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputFolderTest {

    @Test
    void namesCannotLeaveTheFolder(@TempDir Path dir) throws Exception {
        OutputFolder folder = new LocalOutputFolder(dir.resolve("run"));
        for (String name : List.of("../escape", "/etc/passwd", "checkpoints/../../escape", "a//b", "./x", "a\\..\\b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> folder.write(name, new byte[1]),
                    name);
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("escape")));
        folder.writeAtomically("checkpoints/step-1.ckpt", new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, folder.read("checkpoints/step-1.ckpt"));
        assertEquals(List.of("step-1.ckpt"), folder.list("checkpoints"), "no temporary file left");
    }
}
