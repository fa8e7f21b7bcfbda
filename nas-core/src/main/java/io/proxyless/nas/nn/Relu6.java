package io.proxyless.nas.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * ReLU6 as libtorch's {@code hardtanh(x, 0, 6)}: one pass forward, one fused {@code hardtanh_backward}
 * pass back, as in PyTorch. DJL's JNI binds no hardtanh, and composing ReLU6 from the operators it
 * binds costs about 3x more per layer (docs/performance.md), so the operator is reached through a
 * TorchScript module that libtorch compiles once per JVM from {@link TorchScriptArchive}.
 *
 * <p>The gradient is 1 strictly inside (0, 6) and 0 elsewhere, PyTorch's convention at the kinks.
 * The module holds no state, so threads may share it.
 */
public final class Relu6 {

    private Relu6() {}

    /** {@code min(max(x, 0), 6)}, recorded for autograd when gradients are being collected. */
    public static NDArray apply(NDArray x) {
        // training = true only means "do not force inference mode": whether the call is recorded for
        // backward still follows libtorch's grad mode, which DJL's gradient collector sets.
        return IValueUtils.forward(Module.INSTANCE, new NDList(x), true).singletonOrThrow();
    }

    /** Loaded on first use; lives as long as the JVM, like the libtorch library itself. */
    private static final class Module {
        static final PtSymbolBlock INSTANCE = load();

        private static PtSymbolBlock load() {
            byte[] archive = TorchScriptArchive.module("Relu6", """
                    def forward(self: __torch__.Relu6, x: Tensor) -> Tensor:
                        return torch.hardtanh(x, 0., 6.)
                    """);
            PtNDManager manager = (PtNDManager) Engine.getEngine("PyTorch").newBaseManager();
            try {
                return JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
            } catch (IOException e) {
                throw new UncheckedIOException("libtorch did not load the ReLU6 TorchScript module", e);
            }
        }
    }
}
