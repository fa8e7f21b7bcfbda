package io.proxyless.nas.step.driver;

import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepResult;

/**
 * A step produced a non-finite loss or gradient, or its update a non-finite weight. The loop stops
 * before the step's state can be checkpointed, so the newest checkpoint holds the last good step.
 */
public final class DivergenceException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    DivergenceException(String message) {
        super(message);
    }

    private static final String ADVICE = "; lower the learning rate (or arc_learning_rate), or resume from the last"
            + " checkpoint with a smaller one";

    private static String where(StepKind kind, int epoch, long step) {
        return (kind == StepKind.WEIGHT ? "weight" : "architecture") + " step " + step + " (epoch " + (epoch + 1) + ")";
    }

    /** Throws if the step's loss, gradients or gate gradients are not all finite. */
    public static void check(StepResult result, StepKind kind, int epoch, long step) {
        String diverged = "the search diverged at " + where(kind, epoch, step) + ": ";
        if (!Double.isFinite(result.lossSum())) {
            throw new DivergenceException(diverged + "the loss is " + result.lossSum() + ADVICE);
        }
        result.gradients().forEach((name, gradient) -> {
            for (float g : gradient) {
                if (!Float.isFinite(g)) {
                    throw new DivergenceException(diverged + "the gradient of parameter '" + name + "' is " + g + ADVICE);
                }
            }
        });
        result.gateGradients().forEach((label, gradient) -> {
            for (double g : gradient) {
                if (!Double.isFinite(g)) {
                    throw new DivergenceException(diverged + "the gate gradient of choice '" + label + "' is " + g + ADVICE);
                }
            }
        });
    }

    /**
     * Throws if the step's update left a value it changed non-finite: a parameter it trained or a
     * running statistic it merged (a variance can overflow while the loss is still finite).
     */
    public static void checkUpdate(SupernetMaster master, StepResult result, StepKind kind, int epoch, long step) {
        java.util.List<String> changed = new java.util.ArrayList<>(result.gradients().keySet());
        for (String runningMean : result.batchStats().keySet()) {
            changed.add(runningMean);
            changed.add(SupernetMaster.runningVarOf(runningMean));
        }
        for (String name : changed) {
            for (float v : master.allValues().get(name)) {
                if (!Float.isFinite(v)) {
                    throw new DivergenceException("the search diverged at " + where(kind, epoch, step)
                            + ": the update made '" + name + "' " + v + ADVICE);
                }
            }
        }
    }
}
