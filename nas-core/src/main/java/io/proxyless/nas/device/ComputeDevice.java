package io.proxyless.nas.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * Where a network's arrays live and its steps run: {@code cpu}, or {@code gpu} (the first GPU, or on
 * a Spark executor the one Spark assigned to the task) or {@code gpu:N}. It is carried from the
 * {@code device} option to every place that creates arrays or times a network; the CPU's own
 * policies (one libtorch thread pool per JVM, channels-last layouts) stay with the CPU.
 *
 * @param type {@code cpu} or {@code gpu}
 * @param index the GPU's index, -1 for the CPU or for "the GPU assigned"
 */
public record ComputeDevice(String type, int index) implements Serializable {

    public static final ComputeDevice CPU = new ComputeDevice("cpu", -1);

    /** Reads {@code cpu}, {@code gpu} or {@code gpu:N}; {@code option} names the option in errors. */
    public static ComputeDevice parse(String text, String option) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("cpu")) {
            return CPU;
        }
        if (value.equals("gpu")) {
            return new ComputeDevice("gpu", -1);
        }
        if (value.startsWith("gpu:")) {
            try {
                int index = Integer.parseInt(value.substring(4));
                if (index >= 0) {
                    return new ComputeDevice("gpu", index);
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException(option + ": '" + text + "' is not a device; use cpu, gpu or gpu:N");
    }

    public boolean isCpu() {
        return type.equals("cpu");
    }

    /** DJL's device. */
    public Device djl() {
        return isCpu() ? Device.cpu() : Device.gpu(Math.max(index, 0));
    }

    /** A new root manager of arrays on this device; the caller closes it. */
    public NDManager newManager() {
        return NDManager.newBaseManager(djl());
    }

    /**
     * This device, if the engine in this JVM can reach it; else an error that says so. This build
     * ships libtorch for the CPU, so a GPU is refused here, before any data is read.
     */
    public ComputeDevice checkAvailable(String option) {
        if (!isCpu()) {
            int gpus = Engine.getInstance().getGpuCount();
            if (gpus <= Math.max(index, 0)) {
                throw new IllegalArgumentException(option + ": '" + this + "' is not available: the engine in this JVM"
                        + " (" + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion() + ") sees "
                        + gpus + " GPU(s); this build ships libtorch for the CPU only, so use cpu");
            }
        }
        return this;
    }

    /**
     * The device a Spark task runs on: the CPU when the CPU is configured; for a GPU, the one Spark
     * assigned to the task ({@code TaskContext.resources()} {@code gpu} addresses) where there is
     * one, else the configured one.
     */
    public ComputeDevice forTask(List<String> assignedGpus) {
        if (isCpu() || assignedGpus == null || assignedGpus.isEmpty()) {
            return this;
        }
        return new ComputeDevice("gpu", Integer.parseInt(assignedGpus.get(0).trim()));
    }

    @Override
    public String toString() {
        return isCpu() || index < 0 ? type : type + ":" + index;
    }
}
