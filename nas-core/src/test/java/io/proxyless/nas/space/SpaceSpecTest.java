package io.proxyless.nas.space;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.proxyless.nas.choice.LayerChoice;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.model.Supernet;
import io.proxyless.nas.nn.Conv2dLayer;
import io.proxyless.nas.nn.GlobalAvgPool;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A space rebuilt from its class name and JSON parameters, and every way a space can be refused, by name. */
class SpaceSpecTest {

    @Test
    void theBuiltInPresetsRebuildFromTheirSpecAsEqualSpaces() {
        for (MobileNetSpace space : List.of(MobileNetSpace.fashionMnist(), MobileNetSpace.cifar10(),
                MobileNetSpace.imagenet(), MobileNetSpace.builder().optZeroOp(false).optDropoutRate(0.1f).build())) {
            SpaceSpec spec = space.spec();
            assertEquals(MobileNetSpace.class.getName(), spec.className());
            SpaceSpec read = SpaceSpec.fromJson(spec.toJson(), "test");
            assertEquals(spec, read);
            assertEquals(space, read.create());
        }
    }

    @Test
    void aMissingClassIsNamedWithTheClasspathSearched() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SpaceSpec("com.example.NoSuchSpace", SpaceParams.empty()).create());
        assertTrue(e.getMessage().contains("com.example.NoSuchSpace is not on the classpath (add its jar with --jars)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("searched: ") && e.getMessage().contains("test-classes"), e.getMessage());
    }

    @Test
    void aClassThatIsNoSpaceOrCannotBeBuiltIsNamed() {
        String notSpace = assertThrows(IllegalArgumentException.class,
                () -> new SpaceSpec("java.lang.String", SpaceParams.empty()).create()).getMessage();
        assertTrue(notSpace.contains("java.lang.String does not implement io.proxyless.nas.space.SearchSpace"), notSpace);
        String noConstructor = assertThrows(IllegalArgumentException.class,
                () -> new SpaceSpec(WithoutParamsConstructor.class.getName(), SpaceParams.empty()).create()).getMessage();
        assertTrue(noConstructor.contains("needs a public constructor taking io.proxyless.nas.space.SpaceParams"),
                noConstructor);
    }

    @Test
    void parametersTheSpaceRefusesAreNamedByKey() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> new SpaceSpec(MobileNetSpace.class.getName(),
                SpaceParams.of(Map.of("widht_stages", List.of(8, 16)))).create()).getMessage();
        assertTrue(unknown.contains("space parameter 'widht_stages' is not one of this space's")
                && unknown.contains("width_stages"), unknown);
        String wrongType = assertThrows(IllegalArgumentException.class, () -> new SpaceSpec(MobileNetSpace.class.getName(),
                SpaceParams.of(Map.of("num_classes", "ten"))).create()).getMessage();
        assertTrue(wrongType.contains("space parameter 'num_classes': expected an integer, got \"ten\""), wrongType);
        String notJson = assertThrows(IllegalArgumentException.class,
                () -> SpaceParams.parse("[1, 2]", "space.json")).getMessage();
        assertTrue(notJson.startsWith("space.json: space parameters must be a JSON object"), notJson);
    }

    @Test
    void commandLineValuesAreReadAsJsonWhereTheyParse() {
        SpaceParams p = SpaceParams.empty().with("width", "16").with("ops", "conv3x3,identity").with("deep", "true")
                .with("shape", "[1, 28, 28]").with("name", "tiny").with("rate", "0.25");
        assertEquals(16, p.integer("width", 0));
        assertEquals(List.of("conv3x3", "identity"), p.strings("ops", List.of()));
        assertTrue(p.bool("deep", false));
        assertEquals(List.of(1, 28, 28), java.util.Arrays.stream(p.integers("shape")).boxed().toList());
        assertEquals("tiny", p.string("name", null));
        assertEquals(0.25, p.number("rate", 0), 0);
        assertEquals(p, SpaceParams.parse(p.json(), "round trip"));
    }

    @Test
    void aSpaceWithoutChoiceIsRefused() {
        String message = assertThrows(IllegalArgumentException.class, () -> Supernet.of(new NoChoice(SpaceParams.empty())))
                .getMessage();
        assertTrue(message.contains(NoChoice.class.getName() + " has no LayerChoice or InputChoice"), message);
    }

    @Test
    void twoChoicesWithOneLabelAreRefusedWithTheirPaths() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> Supernet.of(new SharedLabel(SpaceParams.empty()))).getMessage();
        assertTrue(message.contains("2 choices are labelled 'cell'"), message);
        assertTrue(message.contains("01LayerChoice") && message.contains("02LayerChoice"), message);
    }

    @Test
    void candidatesOfDifferentOutputShapesAreNamedWithTheirShapes() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> Supernet.of(new MismatchedCandidates(SpaceParams.empty()))).getMessage();
        assertTrue(message.contains("LayerChoice 'cell': its candidates give different output shapes"), message);
        assertTrue(message.contains("wide (1, 8, 4, 4)") && message.contains("narrow (1, 4, 4, 4)"), message);
    }

    /** A space of three convolutions on 1x4x4 images; subclasses choose what the middle one is. */
    public abstract static class TinySpace implements SearchSpace {
        private final SpaceParams params;

        TinySpace(SpaceParams params) {
            this.params = params;
        }

        abstract Block body();

        @Override
        public Block newSupernet() {
            return new SequentialBlock().add(new Conv2dLayer(1, 4, 3, 1, 1)).add(body())
                    .add(x -> new ai.djl.ndarray.NDList(GlobalAvgPool.apply(x.singletonOrThrow())));
        }

        @Override
        public int[] inputShape() {
            return new int[] {1, 4, 4};
        }

        @Override
        public int numClasses() {
            return 4;
        }

        @Override
        public SpaceParams params() {
            return params;
        }
    }

    public static final class NoChoice extends TinySpace {
        public NoChoice(SpaceParams params) {
            super(params);
        }

        @Override
        Block body() {
            return new Conv2dLayer(4, 4, 3, 1, 1);
        }
    }

    public static final class SharedLabel extends TinySpace {
        public SharedLabel(SpaceParams params) {
            super(params);
        }

        @Override
        Block body() {
            return new SequentialBlock().add(choice("cell", 4)).add(choice("cell", 4));
        }
    }

    public static final class MismatchedCandidates extends TinySpace {
        public MismatchedCandidates(SpaceParams params) {
            super(params);
        }

        @Override
        Block body() {
            return LayerChoice.builder().setLabel("cell").addCandidate("wide", new Conv2dLayer(4, 8, 3, 1, 1))
                    .addCandidate("narrow", new Conv2dLayer(4, 4, 3, 1, 1)).build();
        }
    }

    public static final class WithoutParamsConstructor extends TinySpace {
        public WithoutParamsConstructor() {
            super(SpaceParams.empty());
        }

        @Override
        Block body() {
            return choice("cell", 4);
        }
    }

    static LayerChoice choice(String label, int channels) {
        return LayerChoice.builder().setLabel(label).addCandidate("k3", new Conv2dLayer(channels, channels, 3, 1, 1))
                .addCandidate("k5", new Conv2dLayer(channels, channels, 5, 1, 1)).build();
    }
}
