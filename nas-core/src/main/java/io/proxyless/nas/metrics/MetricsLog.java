package io.proxyless.nas.metrics;

import com.google.gson.JsonObject;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.latency.SpaceLatency;
import io.proxyless.nas.listener.StepReport;
import io.proxyless.nas.listener.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Writes each record to {@code metrics.jsonl} (one JSON object a line) and a summary line to the log. */
public final class MetricsLog implements TrainingListener, AutoCloseable {

    public static final String FILE = "metrics.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsLog.class);
    private static final com.google.gson.Gson GSON = new com.google.gson.Gson();

    private final OutputStream out;
    private final int numEpochs;
    private final SpaceLatency latency;
    private final Double targetLatency;

    /** @param latency the space's costs, to log the exported network's latency; or {@code null} */
    /** @param targetLatency recorded beside the expected latency, or {@code null} */
    public MetricsLog(OutputStream out, int numEpochs, SpaceLatency latency, Double targetLatency) {
        this.out = out;
        this.numEpochs = numEpochs;
        this.latency = latency;
        this.targetLatency = targetLatency;
    }

    @Override
    public void onReport(StepReport r) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("epoch", r.epoch());
        json.addProperty("step", r.step());
        json.addProperty("phase", r.phase());
        json.addProperty("loss", r.loss());
        json.addProperty("acc1", r.acc1());
        json.addProperty("lr", r.learningRate());
        json.addProperty("images_per_s", r.imagesPerSecond());
        if (Double.isFinite(r.secondsLeft())) {
            json.addProperty("eta_s", Math.round(r.secondsLeft()));
        }
        if (!Double.isNaN(r.expectedLatency())) {
            json.addProperty("expected_latency_ms", r.expectedLatency());
        }
        if (targetLatency != null) {
            json.addProperty("target_latency_ms", targetLatency);
        }
        if (latency != null) {
            json.addProperty("exported_latency_ms",
                    latency.of(r.topChoices(), "top choices"));
        }
        json.add("top_choices", ArchitectureExport.toJson(r.topChoices()));
        if (!r.probabilities().isEmpty()) {
            json.add("probabilities", GSON.toJsonTree(r.probabilities()));
        }
        out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        LOG.info(String.format(Locale.ROOT, "epoch %d/%d step %d/%d %-6s loss %.4f acc1 %.3f lr %.5f %.0f img/s%s ETA %s %s",
                r.epoch() + 1, numEpochs, r.step(), r.totalSteps(), r.phase(), r.loss(), r.acc1(), r.learningRate(),
                r.imagesPerSecond(), Double.isNaN(r.expectedLatency()) ? ""
                        : String.format(Locale.ROOT, " E[latency] %.4g", r.expectedLatency()),
                duration(r.secondsLeft()), ArchitectureExport.describe(r.topChoices())));
    }

    private static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "-";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
