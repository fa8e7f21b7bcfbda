package io.proxyless.nas.report;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.proxyless.nas.arch.ArchitectureExport;
import io.proxyless.nas.io.OutputFolder;
import io.proxyless.nas.metrics.MetricsLog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code report.html}: one self-contained page about a finished search, readable with no network.
 * It draws the chosen network as a chain of cells with their probabilities, every candidate's
 * probability per cell over the steps, the loss, accuracy and expected-latency curves, the latency
 * table's view of the network against the uniform networks, and the run's configuration. Charts
 * are Chart.js (MIT), inlined; the run's files are embedded as JSON.
 */
public final class SearchReport {

    public static final String FILE = "report.html";
    private static final String RUN_INFO = "run.json";

    private SearchReport() {}

    /** The report of the run in {@code run}; every file it reads must be there, else the error names it. */
    public static String html(OutputFolder run) throws IOException {
        JsonObject data = new JsonObject();
        data.add("run", parse(run, RUN_INFO));
        data.add("architecture", parse(run, ArchitectureExport.ARCHITECTURE));
        data.add("probabilities", parse(run, ArchitectureExport.PROBABILITIES));
        JsonArray records = new JsonArray();
        for (String line : read(run, MetricsLog.FILE).split("\n")) {
            if (!line.isBlank()) {
                records.add(JsonParser.parseString(line));
            }
        }
        data.add("metrics", records);
        String title = run.describe("");
        return resource("report.html")
                .replace("__TITLE__", escapeHtml(title))
                .replace("__CHARTJS__", resource("chart.umd.min.js"))
                // A "</" inside the JSON would end the script element.
                .replace("__DATA__", new Gson().toJson(data).replace("</", "<\\/"));
    }

    /** Writes {@code report.html} of the run into its folder. */
    public static void write(OutputFolder run) throws IOException {
        run.writeAtomically(FILE, html(run).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonElement parse(OutputFolder run, String name) throws IOException {
        try {
            return JsonParser.parseString(read(run, name));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(run.describe(name) + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static String read(OutputFolder run, String name) throws IOException {
        if (!run.exists(name)) {
            throw new IllegalArgumentException(run.describe(name) + ": missing; is " + run.describe("")
                    + " the folder of a finished search?");
        }
        return new String(run.read(name), StandardCharsets.UTF_8);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SearchReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
