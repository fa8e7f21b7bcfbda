package io.proxyless.nas.step;

/** How many intra-op threads libtorch runs with, as DJL is told (or its default, the cores). */
public final class TorchThreads {

    /** DJL's property for libtorch's intra-op threads. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";

    private TorchThreads() {}

    /** This JVM's setting: the property's value, or {@code default (N cores)}. */
    public static String ofThisJvm() {
        String set = System.getProperty(PROPERTY);
        return set != null ? set : "default (" + Runtime.getRuntime().availableProcessors() + " cores)";
    }

    /** The setting a JVM started with {@code javaOptions} has, or {@code null} when they do not set it. */
    public static String fromJavaOptions(String javaOptions) {
        if (javaOptions == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-D" + java.util.regex.Pattern.quote(PROPERTY)
                + "=(\\S+)").matcher(javaOptions);
        return m.find() ? m.group(1) : null;
    }
}
