package io.proxyless.nas.bench;

import com.google.gson.GsonBuilder;
import io.proxyless.nas.TestData;
import io.proxyless.nas.checkpoint.CheckpointStore;
import io.proxyless.nas.checkpoint.TensorFile;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.child.ChildNetwork;
import io.proxyless.nas.choice.Choice;
import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.train.InProcessData;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Accuracy of networks inside a trained supernet (inherited weights), for the ranking benchmark:
 * each network's top-1 on the test images with the supernet's running statistics, and with batch
 * norm recalibrated on {@code RECALIBRATION} weight-split images. Prints one JSON line per network.
 *
 * <p>Usage: {@code InheritedAccuracy CONFIG.yaml RUN_DIR RANDOM_COUNT RANDOM_SEED [ARCH.json ...]}: the six
 * uniform networks of the space, then RANDOM_COUNT networks drawn uniformly per cell from RANDOM_SEED,
 * then each architecture file, named by its file name. Each line also gives the recalibrated
 * network's top-1 on the search's architecture split, the images a selection among networks may use.
 */
public final class InheritedAccuracy {

    private static final int RECALIBRATION = 2000;

    private InheritedAccuracy() {}

    public static void main(String[] args) throws Exception {
        Path configFile = Path.of(args[0]);
        Path run = Path.of(args[1]);
        int randomCount = Integer.parseInt(args[2]);
        long randomSeed = Long.parseLong(args[3]);
        TrainerConfig config = ConfigLoader.fromYamlText(
                TrainerConfig.builder().build(), Files.readString(configFile), configFile.toString());
        InProcessData data = InProcessData.load(config, TestData.fashionMnist());
        ImageDataset test = ImageDataset.loadIdx(TestData.fashionMnist(), "t10k", config.model().numClasses());
        Normalization norm = data.summary().normalization();
        ImageDataset recalibration = data.weightSplit().subset(sampleRows(data.weightSplit().size(), RECALIBRATION, randomSeed));
        try (Supernet supernet = Supernet.of(config.model())) {
            Map<String, float[]> trained = checkpointWeights(run, supernet);
            Map<String, Choice> choices = supernet.choices();
            Map<String, ChildArchitecture> networks = networks(choices, randomCount, randomSeed);
            for (int a = 4; a < args.length; a++) {
                Path file = Path.of(args[a]);
                networks.put(file.getFileName().toString().replaceFirst("\\.json$", ""),
                        ChildArchitecture.parse(choices, Files.readString(file), file.toString()));
            }
            for (Map.Entry<String, ChildArchitecture> network : networks.entrySet()) {
                ChildNetwork child = new ChildNetwork(supernet, network.getValue());
                child.load(trained);
                double inherited = child.evaluate(test, norm, config.model().numClasses()).top1();
                child.load(child.batchNormStatistics(recalibration, norm));
                double recalibrated = child.evaluate(test, norm, config.model().numClasses()).top1();
                double archSplit = child.evaluate(data.archSplit(), norm, config.model().numClasses()).top1();
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("name", network.getKey());
                line.put("architecture", single(network.getValue().chosen()));
                line.put("inherited_top1", inherited);
                line.put("recalibrated_top1", recalibrated);
                line.put("arch_split_top1", archSplit);
                System.out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(line));
            }
        }
    }

    private static Map<String, ChildArchitecture> networks(Map<String, Choice> choices, int randomCount, long seed) {
        Map<String, ChildArchitecture> networks = new LinkedHashMap<>();
        List<String> ops = new ArrayList<>(choices.values().iterator().next().candidateNames());
        ops.remove("zero");
        for (String op : ops) {
            networks.put("uniform-" + op, ChildArchitecture.uniform(choices, op));
        }
        Random random = new Random(seed);
        for (int i = 0; i < randomCount; i++) {
            Map<String, List<String>> chosen = new LinkedHashMap<>();
            choices.forEach((label, choice) -> {
                List<String> names = choice.candidateNames();
                chosen.put(label, List.of(names.get(random.nextInt(names.size()))));
            });
            networks.put("random-" + i, ChildArchitecture.of(choices, chosen, "random network " + i));
        }
        return networks;
    }

    private static Map<String, float[]> checkpointWeights(Path run, Supernet supernet) throws Exception {
        // LATEST names the newest checkpoint relative to the run folder.
        Path file = run.resolve(Files.readString(run.resolve(CheckpointStore.FOLDER).resolve("LATEST")).trim());
        try (InputStream in = Files.newInputStream(file)) {
            TensorFile checkpoint = TensorFile.read(in, Files.size(file), Long.MAX_VALUE, file.toString());
            Map<String, float[]> weights = new LinkedHashMap<>();
            checkpoint.floats().forEach((name, values) -> {
                if (name.startsWith("weights/")) {
                    weights.put(name.substring("weights/".length()), values);
                }
            });
            return weights;
        }
    }

    private static Map<String, String> single(Map<String, List<String>> chosen) {
        Map<String, String> flat = new LinkedHashMap<>();
        chosen.forEach((label, names) -> flat.put(label, String.join("+", names)));
        return flat;
    }

    /** {@code n} distinct rows of {@code size}, drawn from {@code seed}: splits may be ordered by class. */
    private static int[] sampleRows(int size, int n, long seed) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            rows.add(i);
        }
        java.util.Collections.shuffle(rows, new Random(seed));
        return rows.subList(0, Math.min(n, size)).stream().mapToInt(Integer::intValue).toArray();
    }
}
