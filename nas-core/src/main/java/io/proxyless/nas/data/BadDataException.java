package io.proxyless.nas.data;

/**
 * Input data that cannot be used, with a message that names the file, row, column or class. It
 * is unchecked so that it can leave a Spark task; the command line reports it as bad input.
 */
public class BadDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public BadDataException(String message) {
        super(message);
    }

    public BadDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
