package io.proxyless.nas.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComputeDeviceTest {

    private static final String OPTION = "device (--device)";

    @Test
    void readsCpuGpuAndAnIndexedGpu() {
        assertEquals(ComputeDevice.CPU, ComputeDevice.parse("cpu", OPTION));
        assertEquals(new ComputeDevice("gpu", -1), ComputeDevice.parse("GPU", OPTION));
        assertEquals(new ComputeDevice("gpu", 2), ComputeDevice.parse("gpu:2", OPTION));
        assertEquals("gpu:2", ComputeDevice.parse("gpu:2", OPTION).toString());
        assertEquals(Device.gpu(2), ComputeDevice.parse("gpu:2", OPTION).djl());
        for (String bad : new String[] {"tpu", "gpu:-1", "gpu:x", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.parse(bad, OPTION));
            assertTrue(e.getMessage().startsWith(OPTION + ": '" + bad + "' is not a device"), e.getMessage());
        }
    }

    @Test
    void aTaskTakesTheGpuSparkAssignedAndTheCpuStaysTheCpu() {
        ComputeDevice gpu = ComputeDevice.parse("gpu", OPTION);
        assertEquals(new ComputeDevice("gpu", 3), gpu.forTask(List.of("3")));
        assertEquals(gpu, gpu.forTask(List.of()));
        assertEquals(ComputeDevice.CPU, ComputeDevice.CPU.forTask(List.of("0")));
    }

    @Test
    void theCpuMakesArraysOnTheCpu() {
        try (NDManager manager = ComputeDevice.CPU.checkAvailable(OPTION).newManager()) {
            NDArray x = manager.ones(new ai.djl.ndarray.types.Shape(2));
            assertEquals(Device.cpu(), x.getDevice());
        }
    }

    @Test
    void aGpuIsRefusedWhereTheEngineSeesNone() {
        Assumptions.assumeTrue(Engine.getInstance().getGpuCount() == 0,
                "this JVM's engine sees a GPU, so a GPU request is not refused here");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ComputeDevice.parse("gpu", OPTION).checkAvailable(OPTION));
        assertTrue(e.getMessage().contains("'gpu' is not available") && e.getMessage().contains("sees 0 GPU(s)")
                && e.getMessage().contains("use cpu"), e.getMessage());
    }
}
