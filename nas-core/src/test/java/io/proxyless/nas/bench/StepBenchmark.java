package io.proxyless.nas.bench;

import io.proxyless.nas.TestData;
import io.proxyless.nas.arch.PathSampler;
import io.proxyless.nas.arch.SampledPath;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.step.StepKind;
import io.proxyless.nas.step.StepRequest;
import io.proxyless.nas.step.StepResult;
import io.proxyless.nas.step.driver.SupernetMaster;
import io.proxyless.nas.step.executor.PathStepWorker;
import io.proxyless.nas.train.SearchRun;

import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Images per second of (a) training one fixed child network of the default space and (b) search
 * steps (weight step + architecture step per batch), at batch 64. Run by scripts/bench/steps.sh.
 */
public final class StepBenchmark {

    public static void main(String[] args) {
        int batch = Integer.parseInt(System.getProperty("bench.batch", "64"));
        int steps = Integer.parseInt(System.getProperty("bench.steps", "20"));
        TrainerConfig config = TrainerConfig.builder().set("batch_size", batch).build();
        try (Supernet supernet = Supernet.of(config.model())) {
            PathStepWorker worker = new PathStepWorker(supernet);
            SupernetMaster master = SearchRun.newMaster(config, supernet);
            Random random = new Random(1);
            float[] images = new float[batch * 784];
            int[] labels = new int[batch];
            for (int i = 0; i < images.length; i++) {
                images[i] = (float) random.nextGaussian();
            }
            for (int i = 0; i < batch; i++) {
                labels[i] = i % 10;
            }
            System.out.printf(Locale.ROOT, "%-28s %10s%n", "workload (batch " + batch + ")", "images/s");
            for (String op : new String[] {"k7e6", "k3e3"}) {
                SampledPath path = TestData.everyCell(supernet, op);
                double rate = measure(steps, batch, () -> {
                    supernet.load(master.weightsFor(path, StepKind.WEIGHT));
                    StepResult r = worker.compute(new StepRequest(StepKind.WEIGHT, path, batch, 0.1f, 1L), images, labels);
                    master.applyWeightStep(r, 0.01f);
                });
                System.out.printf(Locale.ROOT, "%-28s %10.1f%n", "child all-" + op + " train step", rate);
            }
            PathSampler sampler = new PathSampler(config.binaryMode());
            double search = measure(steps, 2 * batch, () -> {
                for (StepKind kind : StepKind.values()) {
                    step(worker, master, sampler, random, kind, batch, images, labels);
                }
            });
            System.out.printf(Locale.ROOT, "%-28s %10.1f%n", "search (weight+arch) steps", search);
            double arch = measure(steps, batch,
                    () -> step(worker, master, sampler, random, StepKind.ARCHITECTURE, batch, images, labels));
            System.out.printf(Locale.ROOT, "%-28s %10.1f%n", "search architecture step", arch);
        }
    }

    /** One step of a search: a sampled path, its gradients, the master's update. */
    private static void step(PathStepWorker worker, SupernetMaster master, PathSampler sampler, Random random,
            StepKind kind, int batch, float[] images, int[] labels) {
        SampledPath path = kind == StepKind.WEIGHT
                ? sampler.sampleForWeights(master.architecture(), master.choices(), random)
                : sampler.sampleForArchitecture(master.architecture(), master.choices(), random);
        worker.supernet().load(master.weightsFor(path, kind));
        StepResult r = worker.compute(new StepRequest(kind, path, batch, 0.1f, 1L), images, labels);
        if (kind == StepKind.WEIGHT) {
            master.applyWeightStep(r, 0.01f);
        } else {
            master.applyArchitectureStep(r, path, 1.0, Map.of());
        }
    }

    private static double measure(int steps, int imagesPerStep, Runnable step) {
        for (int i = 0; i < 10; i++) {
            step.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        return steps * (double) imagesPerStep / ((System.nanoTime() - start) / 1e9);
    }
}
