package io.proxyless.spark.sweep;

import io.proxyless.nas.config.TrainerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepSettingsTest {

    private static TrainerConfig base(String lossType, Map<String, Double> params) {
        return TrainerConfig.builder().set("applied_hardware", "flops").set("grad_reg_loss_type", lossType)
                .set("grad_reg_loss_params", params).build();
    }

    @Test
    void lambdasSetTheLinearLossLambda() {
        List<Sweep.Setting> settings = Sweep.lambdas(base("add#linear", Map.of()), List.of(0.1, 3.0));
        assertEquals(List.of("lambda-0.1", "lambda-3"), settings.stream().map(Sweep.Setting::name).toList());
        assertEquals(Map.of("lambda", 3.0), settings.get(1).config().gradRegLossParams());
    }

    @Test
    void lambdasSetTheLogLossBetaAndKeepItsAlpha() {
        List<Sweep.Setting> settings = Sweep.lambdas(base("mul#log", Map.of("alpha", 0.5)), List.of(0.03, 1.0));
        assertEquals(List.of("beta-0.03", "beta-1"), settings.stream().map(Sweep.Setting::name).toList());
        assertEquals(Map.of("alpha", 0.5, "beta", 0.03), settings.get(0).config().gradRegLossParams());
    }

    @Test
    void lambdasWithoutALossTypeAreRefusedNamingTheOption() {
        TrainerConfig noLoss = TrainerConfig.builder().set("applied_hardware", "flops").set("target_latency", 5.0).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sweep.lambdas(noLoss, List.of(1.0)));
        assertTrue(e.getMessage().contains("--grad-reg-loss-type"), e.getMessage());
    }
}
