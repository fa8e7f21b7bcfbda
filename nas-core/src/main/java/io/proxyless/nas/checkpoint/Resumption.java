package io.proxyless.nas.checkpoint;

import com.google.gson.JsonParser;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.train.ArchitectureLoss;
import io.proxyless.nas.train.LoopPosition;
import io.proxyless.nas.train.MetricsLog;
import io.proxyless.nas.train.SupernetMaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a search starts in its output folder and keeps its state there: fresh, or from the newest
 * valid checkpoint of an unfinished search, keeping the metrics records up to it; then a
 * checkpoint whenever the loop asks for one.
 */
public final class Resumption {

    /** How many checkpoints a run keeps. */
    public static final int KEPT = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Resumption.class);

    private final OutputFolder output;
    private final CheckpointStore checkpoints;
    private final boolean resume;
    private final boolean partial;
    private Map<String, String> configPrint = Map.of();
    private Map<String, String> dataPrint = Map.of();
    private List<String> earlierMetrics = List.of();

    private Resumption(OutputFolder output, boolean resume) throws IOException {
        this.output = output;
        this.checkpoints = new CheckpointStore(output, KEPT);
        this.resume = resume;
        this.partial = output.exists(MetricsLog.FILE) || !checkpoints.names().isEmpty();
    }

    /**
     * Checks the folder: a finished search there is refused, and an unfinished one unless
     * {@code resume}, with a message saying how to go on.
     */
    public static Resumption of(OutputFolder output, boolean resume) throws IOException {
        if (output.exists(OutputFolder.SUCCESS)) {
            throw new IOException("output " + output.describe("") + " already holds a finished search ("
                    + OutputFolder.SUCCESS + "); choose another --output");
        }
        Resumption resumption = new Resumption(output, resume);
        if (resumption.partial && !resume) {
            throw new IOException("output " + output.describe("") + " holds a search that did not finish ("
                    + MetricsLog.FILE + " or " + CheckpointStore.FOLDER + "/, no " + OutputFolder.SUCCESS
                    + "): continue it with --resume " + output.describe("") + ", or choose another --output");
        }
        return resumption;
    }

    /**
     * Where the loop starts: when resuming, the newest valid checkpoint's state is put into
     * {@code master}, after its configuration and data fingerprints are checked against these.
     */
    public LoopPosition start(SupernetMaster master, ArchitectureLoss loss, Map<String, String> config,
            Map<String, String> data) throws IOException {
        this.configPrint = config;
        this.dataPrint = data;
        if (!resume) {
            return LoopPosition.START;
        }
        Optional<CheckpointStore.Loaded> newest = checkpoints.newest();
        if (newest.isEmpty()) {
            if (partial) {
                LOG.warn("{} has no readable checkpoint: the search starts again from step 0", output.describe(""));
            }
            return LoopPosition.START;
        }
        LoopPosition position = restore(newest.get(), master, loss);
        earlierMetrics = metricsUpTo(position.step());
        return position;
    }

    /** Saves the state after a step as the newest checkpoint. */
    public void save(SupernetMaster master, ArchitectureLoss loss, LoopPosition next) throws IOException {
        checkpoints.save(next.step(), SearchCheckpoint.encode(master, loss, next, configPrint, dataPrint));
    }

    private LoopPosition restore(CheckpointStore.Loaded checkpoint, SupernetMaster master, ArchitectureLoss loss)
            throws IOException {
        String source = output.describe(checkpoint.name());
        String configDifference = SearchCheckpoint.firstDifference(SearchCheckpoint.recordedConfig(checkpoint.file()),
                configPrint);
        if (configDifference != null) {
            throw new IllegalArgumentException(source + " was written with another configuration (" + configDifference
                    + "): resume with the configuration it was started with, or choose another --output");
        }
        String dataDifference = SearchCheckpoint.firstDifference(SearchCheckpoint.recordedData(checkpoint.file()), dataPrint);
        if (dataDifference != null) {
            throw new IllegalArgumentException(source + " was written for other data (" + dataDifference
                    + "): resume with the data it was started with, or choose another --output");
        }
        LoopPosition position = SearchCheckpoint.restore(checkpoint.file(), master, loss, source);
        LOG.info("resuming from {} (epoch {}, batch {}, step {})", source, position.epoch() + 1, position.batch(),
                position.step());
        return position;
    }

    /** The lines of an earlier run's metrics.jsonl up to a step: the records a resumed run keeps. */
    private List<String> metricsUpTo(long step) throws IOException {
        if (!output.exists(MetricsLog.FILE)) {
            return List.of();
        }
        List<String> kept = new ArrayList<>();
        for (String line : new String(output.read(MetricsLog.FILE), StandardCharsets.UTF_8).split("\n")) {
            try {
                if (!line.isBlank() && JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong() <= step) {
                    kept.add(line);
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: dropping an unreadable line (the run was stopped while writing it): {}",
                        output.describe(MetricsLog.FILE), line);
            }
        }
        return kept;
    }

    /**
     * The metrics stream. A resumed run writes the kept records to a new file, which replaces the old
     * one only once they are in it, and goes on writing there: nothing reported before is lost.
     */
    public OutputStream openMetrics() throws IOException {
        List<String> earlier = earlierMetrics;
        if (earlier.isEmpty()) {
            return output.create(MetricsLog.FILE);
        }
        String temporary = "." + MetricsLog.FILE + ".tmp";
        OutputStream out = output.create(temporary);
        for (String line : earlier) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        output.rename(temporary, MetricsLog.FILE);
        return out;
    }
}
