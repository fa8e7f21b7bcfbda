package io.proxyless.nas.arch;

import io.proxyless.nas.nn.ChoiceRouting;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * REINFORCE's estimator is unbiased: on one cell of four candidates with known rewards, the mean of
 * the estimated loss gradient over many sampled networks matches {@code -dE[R]/dalpha_j =
 * -p_j (R_j - E[R])}, for any baseline that does not depend on the samples.
 */
class PolicyGradientTest {

    private static final double[] REWARDS = {0.9, 0.2, 0.5, 0.7};
    private static final int DRAWS = 200_000;

    @Test
    void meanOfTheEstimatorIsTheAnalyticGradient() {
        ArchitectureParameters arch = ArchitectureParameters.initialise(
                Map.of("c", List.of("a", "b", "c", "d")), Map.of("c", 1), 0);
        double[] alpha = arch.alpha("c");
        double[] set = {0.3, -0.2, 0.5, 0.0};
        System.arraycopy(set, 0, alpha, 0, set.length);
        double[] p = arch.probabilities("c");
        double expected = 0;
        for (int j = 0; j < 4; j++) {
            expected += p[j] * REWARDS[j];
        }
        SplittableRandom random = new SplittableRandom(5);
        List<PolicyGradient.Sample> samples = new ArrayList<>();
        for (int i = 0; i < DRAWS; i++) {
            double u = random.nextDouble();
            int a = 0;
            double cumulative = p[0];
            while (u > cumulative && a < 3) {
                a++;
                cumulative += p[a];
            }
            samples.add(new PolicyGradient.Sample(new SampledPath(Map.of("c", ChoiceRouting.only(a))), REWARDS[a]));
        }
        // Each draw's gradient is at most |R - b| <= 0.7 per coordinate: 5 standard errors of the mean.
        double tolerance = 5 * 0.7 / Math.sqrt(DRAWS);
        for (double baseline : new double[] {0.0, 0.4, expected}) {
            double[] estimate = PolicyGradient.lossGradient(arch, samples, baseline).get("c");
            for (int j = 0; j < 4; j++) {
                double analytic = -p[j] * (REWARDS[j] - expected);
                assertEquals(analytic, estimate[j], tolerance, "candidate " + j + ", baseline " + baseline);
            }
        }
    }

    /** Leave-one-out baselines are unbiased too: the mean over many steps of 4 samples is the analytic gradient. */
    @Test
    void leaveOneOutIsUnbiased() {
        ArchitectureParameters arch = ArchitectureParameters.initialise(
                Map.of("c", List.of("a", "b", "c", "d")), Map.of("c", 1), 0);
        System.arraycopy(new double[] {0.3, -0.2, 0.5, 0.0}, 0, arch.alpha("c"), 0, 4);
        double[] p = arch.probabilities("c");
        double expected = 0;
        for (int j = 0; j < 4; j++) {
            expected += p[j] * REWARDS[j];
        }
        SplittableRandom random = new SplittableRandom(9);
        double[] mean = new double[4];
        int steps = DRAWS / 4;
        for (int step = 0; step < steps; step++) {
            List<PolicyGradient.Sample> samples = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                int a = draw(p, random);
                samples.add(new PolicyGradient.Sample(new SampledPath(Map.of("c", ChoiceRouting.only(a))), REWARDS[a]));
            }
            double[] g = PolicyGradient.lossGradient(arch, samples, PolicyGradient.leaveOneOut(samples)).get("c");
            for (int j = 0; j < 4; j++) {
                mean[j] += g[j] / steps;
            }
        }
        double tolerance = 5 * 0.7 / Math.sqrt(DRAWS);
        for (int j = 0; j < 4; j++) {
            assertEquals(-p[j] * (REWARDS[j] - expected), mean[j], tolerance, "candidate " + j);
        }
    }

    private static int draw(double[] p, SplittableRandom random) {
        double u = random.nextDouble();
        int a = 0;
        double cumulative = p[0];
        while (u > cumulative && a < p.length - 1) {
            a++;
            cumulative += p[a];
        }
        return a;
    }
}
