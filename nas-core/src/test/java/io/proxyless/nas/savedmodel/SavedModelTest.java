package io.proxyless.nas.savedmodel;

import io.proxyless.nas.TestData;
import io.proxyless.nas.child.ChildArchitecture;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.data.Normalization;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.ParameterInfo;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.model.WeightInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model folder: what it holds, that it reads back whole, and every damage named. */
class SavedModelTest {

    /** A freshly initialised uniform child of the small test space, with string class names. */
    static SavedModel model() {
        MobileNetSpace space = TestData.smallSearch(100, 1).model();
        try (Supernet supernet = Supernet.of(space)) {
            ChildArchitecture child = ChildArchitecture.uniform(supernet.choices(), "k5e3");
            Map<String, float[]> values = new LinkedHashMap<>();
            for (ParameterInfo info : child.parameters(supernet.parameterInfos())) {
                values.put(info.name(), WeightInitializer.initialValue(info, 3));
            }
            List<String> names = List.of("T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                    "Bag", "Ankle boot");
            return new SavedModel(space.spec(), child.chosen(), new Normalization(new float[] {0.286f}, new float[] {0.353f}),
                    names, values, Map.of("note", "untrained"));
        }
    }

    @Test
    void writesEveryFileAndReadsBackTheSameModel(@TempDir Path dir) throws Exception {
        SavedModel model = model();
        model.write(new LocalOutputFolder(dir));
        for (String file : List.of("model.json", "model.safetensors", "architecture.json", "synset.txt", "metrics.json",
                "_SUCCESS")) {
            assertTrue(Files.exists(dir.resolve(file)), file);
        }
        assertEquals(model.classNames(), Files.readAllLines(dir.resolve("synset.txt")));
        SavedModel loaded = SavedModel.load(new LocalFileSource(dir));
        assertEquals(model.space(), loaded.space());
        assertEquals(model.architecture(), loaded.architecture());
        assertEquals(model.classNames(), loaded.classNames());
        assertEquals(List.copyOf(model.values().keySet()), List.copyOf(loaded.values().keySet()));
        model.values().forEach((name, v) -> assertArrayEquals(v, loaded.values().get(name), name));
        assertEquals("untrained", loaded.metrics().get("note"));
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class, () -> model.write(
                new LocalOutputFolder(dir)));
        assertTrue(again.getMessage().contains("already holds a finished model"), again.getMessage());
    }

    /** The layout of the safetensors specification, read back byte by byte. */
    @Test
    void aFolderWrittenBeforeTheSpaceInterfaceLoadsFromItsModelKeys(@TempDir Path dir) throws Exception {
        SavedModel model = model();
        model.write(new LocalOutputFolder(dir));
        com.google.gson.JsonObject manifest = com.google.gson.JsonParser.parseString(
                Files.readString(dir.resolve("model.json"))).getAsJsonObject();
        assertEquals(model.space().toJson(), manifest.getAsJsonObject("space"));
        // What model.json held before: the built-in space's model keys, no class.
        com.google.gson.JsonObject keys = manifest.getAsJsonObject("space").getAsJsonObject("params");
        manifest.remove("space");
        manifest.add("model", keys);
        Files.writeString(dir.resolve("model.json"), manifest.toString());
        SavedModel loaded = SavedModel.load(new LocalFileSource(dir));
        assertEquals(model.space(), loaded.space());
        assertEquals(model.architecture(), loaded.architecture());
    }

    @Test
    void weightsFileFollowsTheSafetensorsLayout(@TempDir Path dir) throws Exception {
        model().write(new LocalOutputFolder(dir));
        byte[] file = Files.readAllBytes(dir.resolve("model.safetensors"));
        long headerLength = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data starts 8-byte aligned");
        String header = new String(file, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"}"), header.substring(0, 60));
        assertTrue(header.contains("\"stem.conv.weight\":{\"dtype\":\"F32\",\"shape\":[8,1,3,3],\"data_offsets\":[0,288]}"),
                header.substring(0, 200));
        float first = ByteBuffer.wrap(file, (int) (8 + headerLength), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(model().values().get("stem.conv.weight")[0], first);

        // A file another writer made: tensors in another order, no padding, a second dtype-free name order.
        String json = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        ByteBuffer other = ByteBuffer.allocate(8 + json.length() + 12).order(ByteOrder.LITTLE_ENDIAN);
        other.putLong(json.length()).put(json.getBytes(StandardCharsets.US_ASCII)).putFloat(1f).putFloat(2f).putFloat(3f);
        SafeTensors.Contents read = SafeTensors.read(other.array(), "other.safetensors");
        assertArrayEquals(new float[] {1f}, read.tensors().get("a").values());
        assertArrayEquals(new float[] {2f, 3f}, read.tensors().get("b").values());
    }

    @Test
    void everyDamageIsNamed(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good");
        model().write(new LocalOutputFolder(good));

        assertRefused(damaged(dir, good, "missing", d -> Files.delete(d.resolve("synset.txt"))),
                "synset.txt: missing from the model folder");
        assertRefused(damaged(dir, good, "truncated", d -> {
            byte[] w = Files.readAllBytes(d.resolve("model.safetensors"));
            Files.write(d.resolve("model.safetensors"), java.util.Arrays.copyOf(w, w.length - 100));
        }), "model.safetensors: ", "(truncated)");
        assertRefused(damaged(dir, good, "changed", d -> {
            byte[] w = Files.readAllBytes(d.resolve("model.safetensors"));
            w[w.length - 1] ^= 1;
            Files.write(d.resolve("model.safetensors"), w);
        }), "model.safetensors: its SHA-256 differs");
        assertRefused(damaged(dir, good, "unfinished", d -> Files.delete(d.resolve("_SUCCESS"))), "no _SUCCESS");
        assertRefused(damaged(dir, good, "not-json", d -> Files.writeString(d.resolve("model.json"), "{ nope")),
                "model.json");
        // The architecture and the weights agree with model.json's hashes, but not with the space.
        Path otherArch = dir.resolve("other-arch");
        SavedModel m = model();
        new SavedModel(m.space(), Map.of("s0", List.of("k9e9"), "s1", List.of("k5e3"), "s2", List.of("k5e3")),
                m.normalization(), m.classNames(), m.values(), m.metrics()).write(new LocalOutputFolder(otherArch));
        assertRefused(otherArch, "architecture.json", "'s0' has no candidate 'k9e9'");
        Path missingTensor = dir.resolve("missing-tensor");
        Map<String, float[]> fewer = new LinkedHashMap<>(m.values());
        fewer.remove("classifier.bias");
        new SavedModel(m.space(), m.architecture(), m.normalization(), m.classNames(), fewer, m.metrics())
                .write(new LocalOutputFolder(missingTensor));
        assertRefused(missingTensor, "model.safetensors: lacks 1 tensors", "classifier.bias");
    }

    interface Damage {
        void apply(Path folder) throws Exception;
    }

    private static Path damaged(Path dir, Path good, String name, Damage damage) throws Exception {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        try (var files = Files.list(good)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        damage.apply(copy);
        return copy;
    }

    private static void assertRefused(Path folder, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SavedModel.load(new LocalFileSource(folder)));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
        }
    }
}
