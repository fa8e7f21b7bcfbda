package io.proxyless.nas.listener;

import java.util.List;
import java.util.Map;

/**
 * One logged record: averages over the steps of one phase since the previous record.
 *
 * @param phase {@code weight} or {@code arch}
 * @param step the weight-step count so far (1-based)
 * @param totalSteps the weight steps of the whole run
 * @param imagesPerSecond images through forward and backward per second of step time
 * @param topChoices each label's most probable candidate(s), as {@code architecture.json} would say now
 * @param expectedLatency the latency term's expected latency, NaN without one
 * @param secondsLeft the estimated time to the end of the search, NaN before any step was timed
 * @param probabilities each label's candidates with their probabilities now; empty for a retrain
 */
public record StepReport(
        int epoch,
        long step,
        long totalSteps,
        String phase,
        double loss,
        double acc1,
        double learningRate,
        double imagesPerSecond,
        Map<String, List<String>> topChoices,
        double expectedLatency,
        double secondsLeft,
        Map<String, Map<String, Double>> probabilities) {}
