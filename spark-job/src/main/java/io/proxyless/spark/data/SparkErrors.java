package io.proxyless.spark.data;

import io.proxyless.nas.data.BadDataException;

import java.util.function.Supplier;

/**
 * A task that meets bad input fails its job with a {@code SparkException} around the task's
 * exception; the user should see the task's message, which names the file or row.
 */
public final class SparkErrors {

    private SparkErrors() {}

    public static <T> T rethrowingBadData(Supplier<T> action) {
        try {
            return action.get();
        } catch (BadDataException e) {
            throw e;
        } catch (RuntimeException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof BadDataException bad) {
                    throw new BadDataException(bad.getMessage(), e);
                }
            }
            throw e;
        }
    }
}
