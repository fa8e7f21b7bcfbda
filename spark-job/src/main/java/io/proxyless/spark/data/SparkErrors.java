package io.proxyless.spark.data;

import io.proxyless.nas.data.BadDataException;

import java.util.function.Supplier;

/**
 * A task that meets bad input (or cannot read it) fails its job with a {@code SparkException}
 * around the task's exception; the user should see the task's message, which names the file or row.
 */
public final class SparkErrors {

    private SparkErrors() {}

    public static <T> T rethrowingBadData(Supplier<T> action) {
        try {
            return action.get();
        } catch (BadDataException e) {
            throw e;
        } catch (Exception e) {
            // Spark's SparkException is checked in Java's eyes, though Scala code throws it from anywhere.
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof BadDataException || t instanceof java.io.IOException) {
                    throw new BadDataException(t.getMessage(), e);
                }
            }
            throw SparkErrors.<RuntimeException>rethrow(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> E rethrow(Exception e) throws E {
        throw (E) e;
    }
}
