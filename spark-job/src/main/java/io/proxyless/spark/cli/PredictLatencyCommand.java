package io.proxyless.spark.cli;

import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.spark.latency.MeasuredTableCache;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code proxyless predict-latency --arch architecture.json --applied-hardware H}: a network's table latency. */
@Command(name = "predict-latency", mixinStandardHelpOptions = true,
        description = "Print the latency the table predicts for an exported architecture.")
public final class PredictLatencyCommand implements Callable<Integer> {

    @Option(names = "--arch", required = true, description = "architecture.json (any Hadoop path)")
    String arch;

    @Mixin
    JarOptions jarOptions;

    @Mixin
    TrainerOptions trainer;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Configuration hadoop = new Configuration();
        jarOptions.load(hadoop);
        if (trainer.given("applied_hardware") == null) {
            throw new IllegalArgumentException("--applied-hardware is required: flops, cpu, an nn-Meter device or a table file");
        }
        // Prediction uses no loss, but the trainer configuration requires one whenever a table is set.
        if (trainer.given("grad_reg_loss_type") == null) {
            trainer.override("grad_reg_loss_type", "add#linear");
        }
        TrainerConfig config = trainer.resolve(hadoop);
        SpaceLatency latency = trainer.latency(config, hadoop, MeasuredTableCache.inProcess());
        Map<String, List<String>> architecture = ArchitectureExport.parseArchitecture(TrainerOptions.read(arch, hadoop), arch);
        double value = latency.of(architecture, arch);
        spec.commandLine().getOut().printf(Locale.ROOT, "%.6f %s (%s)%n", value, latency.unit(), latency.hardware());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
