package io.proxyless.spark.step;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Step messages travel through Spark's RPC as plain bytes: the RPC layer deserializes with the class
 * loader it was created with, which on a cluster executor cannot see the job jar's classes. Each
 * side decodes with the loader that loaded this job's code.
 */
public final class Wire {

    private Wire() {}

    public static byte[] encode(Serializable message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(message);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + message.getClass().getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    public static <T> T decode(byte[] bytes, Class<T> type) {
        ClassLoader loader = Wire.class.getClassLoader();
        try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
            return type.cast(in.readObject());
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot decode a " + type.getSimpleName() + " of " + bytes.length + " bytes", e);
        }
    }

    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
