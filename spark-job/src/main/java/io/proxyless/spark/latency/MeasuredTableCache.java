package io.proxyless.spark.latency;

import io.proxyless.nas.hardware.HardwareResolver;
import io.proxyless.nas.latency.LatencyProfiler;
import io.proxyless.nas.latency.LatencyTable;
import io.proxyless.nas.latency.LatencyTables;
import io.proxyless.nas.latency.OnnxRuntimeProfiler;
import io.proxyless.nas.mobilenet.MobileNetSpace;
import io.proxyless.nas.space.SearchSpace;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Measured tables ({@code cpu}, {@code onnxruntime}), cached as files keyed by hardware, input shape,
 * batch, space and the revision of how ops are timed, so a search measures once. The key holds
 * everything that changes an op's cost.
 */
public final class MeasuredTableCache implements HardwareResolver.MeasuredTables {

    private static final Logger LOG = LoggerFactory.getLogger(MeasuredTableCache.class);
    private static final int WARMUP = 5;
    private static final int RUNS = 21;

    private final HardwareResolver.MeasuredTables measurer;
    private final String folder;
    private final Configuration hadoop;

    /** @param measurer measures a table when the cache has none (a Spark job, or this JVM) */
    public MeasuredTableCache(HardwareResolver.MeasuredTables measurer, String folder, Configuration hadoop) {
        this.measurer = measurer;
        this.folder = folder;
        this.hadoop = hadoop;
    }

    /** Measures on the executors of a Spark application. */
    public static HardwareResolver.MeasuredTables onSpark(JavaSparkContext sc) {
        return (hardware, space, batch) -> LatencyProfilingJob.run(sc, hardware, space, batch, WARMUP, RUNS);
    }

    /** Measures in this JVM. */
    public static HardwareResolver.MeasuredTables inProcess() {
        return (hardware, space, batch) -> LatencyProfilingJob.inProcess(hardware, space, batch, WARMUP, RUNS);
    }

    /** The file a table for this hardware, space and batch is cached in. */
    public static String fileName(String hardware, SearchSpace space, int batch) {
        String shape = String.join("x", Arrays.stream(space.inputShape()).mapToObj(Integer::toString).toList());
        int revision = hardware.equals(OnnxRuntimeProfiler.HARDWARE) ? OnnxRuntimeProfiler.REVISION
                : LatencyProfiler.OPS_REVISION;
        // The built-in family keeps the names its tables were cached under; any other space is keyed by
        // its class and parameters.
        String key = space instanceof MobileNetSpace ? Integer.toHexString(space.hashCode())
                : space.getClass().getSimpleName() + "-" + Integer.toHexString(space.spec().hashCode());
        return hardware + "-" + shape + "-b" + batch + "-" + key + "-r" + revision + ".json";
    }

    @Override
    public LatencyTable measure(String hardware, SearchSpace space, int batch) throws IOException {
        Path path = new Path(folder, fileName(hardware, space, batch));
        FileSystem fs = path.getFileSystem(hadoop);
        if (fs.exists(path)) {
            LOG.info("{} latency table from cache {}", hardware, path);
            try (var in = fs.open(path)) {
                return LatencyTables.readOwn(new String(in.readAllBytes(), StandardCharsets.UTF_8), path.toString());
            }
        }
        LOG.info("measuring the {} latency table (batch {})", hardware, batch);
        LatencyTable table = measurer.measure(hardware, space, batch);
        write(path, table, space, batch, hadoop);
        return table;
    }

    /**
     * Writes a measured table as our JSON with its batch, shape and timing settings, through a
     * partial file renamed into place, so a reader never sees half a table.
     */
    public static void write(Path path, LatencyTable table, SearchSpace space, int batch, Configuration hadoop)
            throws IOException {
        FileSystem fs = path.getFileSystem(hadoop);
        // Qualified, so that a bare file name still has a parent folder for the partial file.
        path = fs.makeQualified(path);
        Path partial = new Path(path.getParent(), "." + path.getName() + ".partial");
        try (FSDataOutputStream out = fs.create(partial, true)) {
            out.write(LatencyTables.toJson(table, Map.of("batch", batch,
                    "input_shape", space.inputShape(), "warmup", WARMUP, "runs", RUNS)).getBytes(StandardCharsets.UTF_8));
        }
        fs.delete(path, false);
        if (!fs.rename(partial, path)) {
            throw new IOException("could not move " + partial + " to " + path);
        }
    }
}
