package io.proxyless.nas.onnx;

/** A block on the exported path that has no ONNX form: its path in the model and its class name it. */
public final class UnsupportedBlockException extends IllegalArgumentException {

    private final String path;

    public UnsupportedBlockException(String path, String message) {
        super(message);
        this.path = path;
    }

    /** Where in the model the block sits, e.g. {@code s2/body/k5e6/expand}. */
    public String path() {
        return path;
    }
}
