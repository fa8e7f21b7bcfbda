package io.proxyless.nas.train;

import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.step.ShardedBatch;
import io.proxyless.nas.step.StepExecutor;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records what the loop asks of an executor, and answers with zero gradients: SGD and Adam then
 * leave alpha where the test put it, so the loop's own choices (paths, batches, requests) can be
 * counted over thousands of steps without computing any.
 */
final class RecordingExecutor implements StepExecutor {

    record Call(StepRequest request, Split split, ShardedBatch batch) {}

    final List<Call> calls = new ArrayList<>();
    private final Map<String, Choice> choices;
    private final int shards;

    RecordingExecutor(Map<String, Choice> choices, int shards) {
        this.choices = choices;
        this.shards = shards;
    }

    @Override
    public StepResult execute(StepRequest request, Map<String, float[]> weights, Split split, ShardedBatch batch) {
        calls.add(new Call(request, split, batch));
        Map<String, double[]> gates = new LinkedHashMap<>();
        if (request.kind() == StepKind.ARCHITECTURE) {
            choices.forEach((label, choice) -> gates.put(label, new double[choice.numCandidates()]));
        }
        return new StepResult(Map.of(), gates, Map.of(), batch.size(), 0, batch.size());
    }

    @Override
    public int shards() {
        return shards;
    }

    List<Call> of(StepKind kind) {
        return calls.stream().filter(c -> c.request().kind() == kind).toList();
    }
}
