package io.proxyless.nas.checkpoint;

import com.google.gson.JsonParser;
import io.proxyless.nas.arch.ArchitectureLoss;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.metrics.MetricsLog;
import io.proxyless.nas.step.driver.LoopPosition;
import io.proxyless.nas.step.driver.SupernetMaster;
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
    private Fingerprints prints = Fingerprints.NONE;
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
        resumption.checkpoints.removePartialFiles();
        if (resumption.partial && !resume) {
            throw new IOException("output " + output.describe("") + " holds a search that did not finish ("
                    + MetricsLog.FILE + " or " + CheckpointStore.FOLDER + "/, no " + OutputFolder.SUCCESS
                    + "): continue it with --resume " + output.describe("") + ", or choose another --output");
        }
        return resumption;
    }

    /**
     * The configuration to resume {@code output}'s search with: with {@code shards: 0} (one per
     * partition), the shard count its newest checkpoint recorded, so a resume on another number of
     * task slots or in-process still ends as the uninterrupted run would.
     */
    public static TrainerConfig withRecordedShards(OutputFolder output, TrainerConfig config, boolean resume)
            throws IOException {
        if (!resume || config.shards() > 0) {
            return config;
        }
        Optional<Map<String, String>> run = new CheckpointStore(output, KEPT).newestMetadata()
                .map(SearchCheckpoint::recordedRun);
        String shards = run.map(r -> r.get(Fingerprints.SHARDS)).orElse(null);
        if (shards == null) {
            return config;
        }
        LOG.info("resuming with the {} shards per batch that {} was started with", shards, output.describe(""));
        return config.toBuilder().set("shards", Integer.parseInt(shards)).build();
    }

    /**
     * Where the loop starts: when resuming, the newest usable checkpoint's state is put into
     * {@code master}, after its fingerprints are checked against these.
     */
    public LoopPosition start(SupernetMaster master, ArchitectureLoss loss, Fingerprints fingerprints)
            throws IOException {
        this.prints = fingerprints;
        if (!resume) {
            return LoopPosition.START;
        }
        Optional<CheckpointStore.Loaded> newest = checkpoints.newest(SearchCheckpoint.maxBytes(master),
                (file, source) -> SearchCheckpoint.checkUsable(file, master, source));
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
        checkpoints.save(next.step(), SearchCheckpoint.encode(master, loss, next, prints));
    }

    private LoopPosition restore(CheckpointStore.Loaded checkpoint, SupernetMaster master, ArchitectureLoss loss)
            throws IOException {
        String source = output.describe(checkpoint.name());
        String runDifference = SearchCheckpoint.firstDifference(SearchCheckpoint.recordedRun(checkpoint.file().metadata()),
                prints.run());
        if (runDifference != null) {
            throw new IllegalArgumentException(source + " was written by a search run otherwise (" + runDifference + "): "
                    + (runDifference.startsWith(Fingerprints.SHARDS)
                            ? "resume with --shards set to the recorded count, or choose another --output"
                            : "the latency costs differ (a cpu table measured on another machine, or a table file that"
                                    + " changed); resume with the table the search started with, or choose another --output"));
        }
        String recordedThreads = checkpoint.file().metadata().get(SearchCheckpoint.THREADS);
        if (recordedThreads != null && !recordedThreads.equals(prints.threads())) {
            LOG.warn("{} was written with libtorch threads {}, this run has {}: the search goes on, but its bits will"
                    + " differ from an uninterrupted run's (threads change the rounding of sums)", source,
                    recordedThreads, prints.threads());
        }
        String configDifference = SearchCheckpoint.firstDifference(SearchCheckpoint.recordedConfig(checkpoint.file()),
                prints.config());
        if (configDifference != null) {
            throw new IllegalArgumentException(source + " was written with another configuration (" + configDifference
                    + "): resume with the configuration it was started with, or choose another --output");
        }
        String dataDifference = SearchCheckpoint.firstDifference(SearchCheckpoint.recordedData(checkpoint.file()),
                prints.data());
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
