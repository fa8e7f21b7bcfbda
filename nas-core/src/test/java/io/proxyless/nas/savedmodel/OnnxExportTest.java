package io.proxyless.nas.savedmodel;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.proxyless.nas.TestData;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.config.ConfigLoader;
import io.proxyless.nas.config.DatasetConfig;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.ImageDataset;
import io.proxyless.nas.data.LocalFileSource;
import io.proxyless.nas.io.LocalOutputFolder;
import io.proxyless.nas.mobilenet.MobileCell;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.onnx.OnnxGraph;
import io.proxyless.nas.onnx.OnnxRuntimeSession;
import io.proxyless.nas.onnx.UnsupportedBlockException;
import io.proxyless.nas.onnx.proto.OnnxModel;
import io.proxyless.nas.retrain.RetrainRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxExportTest {

    /** The quickstart's space (conf/quickstart.yaml), retrained briefly on real images. */
    private static TrainerConfig quickstartRetrain() throws Exception {
        String yaml = Files.readString(Path.of("../conf/quickstart.yaml"));
        TrainerConfig quickstart = ConfigLoader.fromYamlText(TrainerConfig.builder().build(), yaml, "conf/quickstart.yaml");
        return RetrainRun.recipe().optModel(quickstart.model()).optOptimizer(quickstart.optimizer())
                .optDataset(DatasetConfig.defaults().withTrainPortion(0.9).withLimit(4000))
                .set("num_epochs", 2).set("batch_size", 64).set("log_frequency", 20).set("seed", 5).build();
    }

    @Test
    void retrainedQuickstartNetworkRunsInOnnxRuntimeAsInDjlOnEveryTestImage(@TempDir Path out) throws Exception {
        TrainerConfig config = quickstartRetrain();
        // Skipped cells (zero), every kernel and both expansions: each export path is on it.
        Map<String, List<String>> architecture = new LinkedHashMap<>();
        String[] chosen = {"k3e3", "zero", "k5e6", "k7e3", "k7e6", "zero"};
        for (int i = 0; i < chosen.length; i++) {
            architecture.put("s" + i, List.of(chosen[i]));
        }
        RetrainRun.run(config, architecture, "test", TestData.loader(config), null, new LocalOutputFolder(out));
        assertTrue(Files.isRegularFile(out.resolve(OnnxExport.FILE)), "retrain writes model.onnx");

        SavedModel model = SavedModel.load(new LocalFileSource(out));
        byte[] onnx = Files.readAllBytes(out.resolve(OnnxExport.FILE));
        assertTrue(new String(Files.readAllBytes(out.resolve(SavedModel.MODEL))).contains(OnnxExport.FILE),
                "model.json lists model.onnx with its hash");

        ImageDataset test = ImageDataset.loadIdx(TestData.fashionMnist(), "t10k", 10);
        OnnxCheck.Result result = OnnxCheck.compare(model, onnx, test, true);
        assertEquals(10_000, result.images());
        assertEquals(0, result.top1Disagreements(), result.describe());
        assertTrue(result.maxAbsDifference() <= 1e-4, result.describe());
        assertTrue(result.onnxCorrect() > 5_000, "a trained network, not noise: " + result.describe());

        OnnxModel.ModelProto parsed = OnnxModel.ModelProto.parseFrom(onnx);
        assertEquals(OnnxGraph.OPSET, parsed.getOpsetImport(0).getVersion());
        Set<String> ops = new TreeSet<>();
        parsed.getGraph().getNodeList().forEach(n -> ops.add(n.getOpType()));
        assertEquals(new TreeSet<>(List.of("Add", "Clip", "Conv", "Flatten", "Gemm", "GlobalAveragePool", "Identity")),
                ops, "standard operators only; batch norm folded");
        // 1 stem + 3 in the fixed first block + per cell 2 (expand 1 has none) or 3 convolutions + the mix.
        long convolutions = parsed.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).count();
        assertEquals(1 + 2 + 3 * 4 + 1, convolutions, "no candidate but the chosen ones, no zero branch");
        // Shortcuts are in s1, s3 and s5 (where input and output shapes agree); skipped s1 and s5 are
        // their shortcut alone, so only s3 adds.
        assertEquals(1, parsed.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Add")).count(),
                "an Add only where a kept cell has a shortcut");
        String dynamic = parsed.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam();
        assertEquals("batch", dynamic);

        try (OnnxRuntimeSession session = new OnnxRuntimeSession(onnx, 1)) {
            Map<String, String> metadata = session.metadata();
            assertEquals("[1,28,28]", metadata.get("input_shape"));
            assertEquals("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]", metadata.get("class_names"));
            assertTrue(metadata.get("mean").startsWith("[0.28"), metadata.get("mean"));
            assertTrue(metadata.get("architecture").contains("\"s1\":[\"zero\"]"), metadata.get("architecture"));
        }
    }

    /** A block the export does not know: it must be named, with its path, and nothing written. */
    private static final class Mystery extends AbstractBlock {
        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    @Test
    void blockWithoutAnOnnxFormIsNamedWithItsPath() {
        LayerChoice choice = LayerChoice.builder().setLabel("c0").addCandidate("odd", new Mystery()).build();
        MobileCell cell = new MobileCell(choice, true);
        try (Supernet supernet = new Supernet(cell, 4, 8, 8)) {
            OnnxGraph graph = new OnnxGraph(Map.of("c0", List.of("odd")));
            UnsupportedBlockException e = assertThrows(UnsupportedBlockException.class,
                    () -> graph.network(supernet.block(), "input"));
            assertEquals("body/odd", e.path());
            assertTrue(e.getMessage().contains(Mystery.class.getName()) && e.getMessage().contains("body/odd"),
                    e.getMessage());
        }
    }
}
