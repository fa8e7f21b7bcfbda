package io.proxyless.nas.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.Test;

class InitOnceBlockTest {

    @Test
    void uninitializedUntilEveryParameterIsThenStaysInitialized() {
        ConvBnAct block = new ConvBnAct(3, 8, 3, 1, 1, true, NormConfig.defaults());
        assertFalse(block.isInitialized(), "a fresh block has no parameter arrays");
        assertFalse(block.isInitialized(), "a false answer is not cached");
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 8, 8));
            assertTrue(block.isInitialized());
            assertTrue(block.conv().isInitialized());
        }
    }
}
