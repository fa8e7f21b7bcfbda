package io.proxyless.nas.hardware;

import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.latency.FlopsTable;
import io.proxyless.nas.latency.LatencyLoss;
import io.proxyless.nas.latency.LatencyProfiler;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.nas.latency.LatencyTables;
import io.proxyless.nas.latency.LatencyTarget;
import io.proxyless.nas.latency.OnnxRuntimeProfiler;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.space.SearchSpace;

import java.io.IOException;
import java.util.List;

/**
 * Turns {@code applied_hardware} into the costs of a space: {@code flops} (computed), {@code cpu}
 * and {@code onnxruntime} (measured, from a cache or a profiling run), an nn-Meter device (with {@code latency_table}), or
 * a table file path.
 */
public final class HardwareResolver {

    /** The devices nn-Meter predicts; its tables can be imported, its predictors cannot run on the JVM. */
    public static final List<String> NN_METER_DEVICES = List.of(
            "cortexA76cpu_tflite21", "adreno640gpu_tflite21", "adreno630gpu_tflite21", "myriadvpu_openvino2019r2");

    /** Reads a table file by path (local or Hadoop). */
    @FunctionalInterface
    public interface Files {
        String read(String path) throws IOException;
    }

    /** The tables measured on this project's machines: with DJL (libtorch), and in ONNX Runtime. */
    public static final List<String> MEASURED = List.of(LatencyProfiler.HARDWARE, OnnxRuntimeProfiler.HARDWARE);

    /** Produces a measured table ({@link #MEASURED}) for a space at a batch size. */
    @FunctionalInterface
    public interface MeasuredTables {
        LatencyTable measure(String hardware, SearchSpace space, int batch) throws IOException;
    }

    private HardwareResolver() {}

    /** The space's costs, or {@code null} when {@code applied_hardware} is unset. */
    public static SpaceLatency resolve(TrainerConfig config, Files files, MeasuredTables measured) throws IOException {
        String hardware = config.appliedHardware();
        if (hardware == null) {
            return null;
        }
        SearchSpace space = config.searchSpace();
        int batch = config.dummyInput().get(0);
        if (hardware.equals(FlopsTable.HARDWARE)) {
            return SpaceLatency.of(space, FlopsTable.forSpace(space, batch));
        }
        if (MEASURED.contains(hardware)) {
            if (!(space instanceof MobileNetSpace) && !hardware.equals(LatencyProfiler.HARDWARE)) {
                throw new IllegalArgumentException(TrainerConfig.option("applied_hardware") + " '" + hardware
                        + "' times the built-in family's ops; for " + space.getClass().getName() + " use "
                        + LatencyProfiler.HARDWARE + " or " + FlopsTable.HARDWARE + ", or a table by cell");
            }
            return SpaceLatency.of(space, measured.measure(hardware, space, batch));
        }
        if (NN_METER_DEVICES.contains(hardware)) {
            String table = config.latencyTable();
            if (table == null) {
                throw new IllegalArgumentException(TrainerConfig.option("applied_hardware") + " '" + hardware
                        + "' is an nn-Meter device: nn-Meter's predictors are Python and cannot run here. Produce its "
                        + "table with NNI's nn-Meter estimator (latency_table.yaml) and pass it with "
                        + TrainerConfig.option("latency_table"));
            }
            return LatencyTables.read(files.read(table), table, space, hardware);
        }
        return LatencyTables.read(files.read(hardware), hardware, space, null);
    }

    /**
     * {@code ref_latency} when not given, for every hardware: the table's cost of the space with every
     * cell at its middle candidate. NNI's fixed 65 ms is of the order of the authors' mobile networks
     * (78 ms on a Pixel 1); the measured {@code cpu} networks here cost 3.5-4.5 ms, and 65 ms weakened
     * lambda about 15-fold.
     */
    public static double defaultReference(TrainerConfig config, SpaceLatency latency) {
        double total = latency.fixed();
        for (double[] costs : latency.cells().values()) {
            // The built-in family's middle op (k5e3) is the same in every cell, zero or not.
            int middle = config.space() == null ? (config.model().candidateOps().size() - 1) / 2 : (costs.length - 1) / 2;
            total += costs[middle];
        }
        return total;
    }
}
