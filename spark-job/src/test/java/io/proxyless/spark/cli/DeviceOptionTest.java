package io.proxyless.spark.cli;

import io.proxyless.spark.SparkTestSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device option: a GPU on this CPU build is refused before any step, with what to do. */
class DeviceOptionTest {

    @Test
    void aGpuIsRefusedBeforeTheDataAreReadInProcessAndOnSpark(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(ai.djl.engine.Engine.getInstance().getGpuCount() == 0,
                "this JVM's engine sees a GPU, so a GPU request is not refused here");
        SparkTestSupport.fashionMnist();
        for (String mode : new String[] {"--in-process", "--master=local[1]"}) {
            Path out = dir.resolve(mode.replaceAll("\\W", ""));
            Object[] r = CliTestSupport.cli(CliTestSupport.extend(CliTestSupport.SMALL_SEARCH, mode, "--device", "gpu",
                    "--output", out.toString()));
            String err = (String) r[1];
            assertEquals(2, r[0], err);
            assertTrue(err.contains("device (--device): 'gpu' is not available") && err.contains("use cpu"), err);
            assertFalse(Files.exists(out.resolve("_SUCCESS")), "no finished output");
            assertFalse(Files.exists(out.resolve("metrics.jsonl")), "no step ran");
        }
    }

    @Test
    void aDeviceThatIsNoDeviceIsRefusedByName(@TempDir Path dir) {
        Object[] r = CliTestSupport.cli(CliTestSupport.extend(CliTestSupport.SMALL_SEARCH, "--in-process", "--device",
                "tpu", "--output", dir.resolve("run").toString()));
        assertEquals(2, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("device (--device): 'tpu' is not a device; use cpu, gpu or gpu:N"),
                (String) r[1]);
    }
}
