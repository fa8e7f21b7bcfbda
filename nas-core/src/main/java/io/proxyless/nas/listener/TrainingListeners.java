package io.proxyless.nas.listener;

import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;

import java.io.IOException;
import java.util.List;

/** Several listeners called in order, as one. */
public final class TrainingListeners implements TrainingListener {

    private final List<TrainingListener> listeners;

    public TrainingListeners(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onResult(StepKind kind, StepResult result, int epoch, long step) {
        for (TrainingListener listener : listeners) {
            listener.onResult(kind, result, epoch, step);
        }
    }

    @Override
    public void onUpdate(SupernetMaster master, StepKind kind, StepResult result, int epoch, long step) {
        for (TrainingListener listener : listeners) {
            listener.onUpdate(master, kind, result, epoch, step);
        }
    }

    @Override
    public void onReport(StepReport report) throws IOException {
        for (TrainingListener listener : listeners) {
            listener.onReport(report);
        }
    }

    @Override
    public void afterStep(LoopPosition next, boolean epochEnd) throws IOException {
        for (TrainingListener listener : listeners) {
            listener.afterStep(next, epochEnd);
        }
    }
}
