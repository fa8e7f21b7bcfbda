package io.proxyless.nas.train;

import java.util.List;
import java.util.Map;

/**
 * One logged record: averages over the steps of one phase since the previous record.
 *
 * @param phase {@code weight} or {@code arch}
 * @param step the weight-step count so far (1-based)
 * @param imagesPerSecond images through forward and backward per second of step time
 * @param topChoices each label's most probable candidate(s), as {@code architecture.json} would say now
 * @param expectedLatency the latency term's expected latency, NaN without one
 */
public record StepReport(
        int epoch,
        long step,
        String phase,
        double loss,
        double acc1,
        double learningRate,
        double imagesPerSecond,
        Map<String, List<String>> topChoices,
        double expectedLatency) {}
