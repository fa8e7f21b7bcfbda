package io.proxyless.nas.train;

import ai.djl.engine.Engine;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.proxyless.nas.config.TrainerConfig;
import io.proxyless.nas.data.DataSummary;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code run.json}: how a search ran (executor, sizes, versions), written before {@code _SUCCESS}. */
final class RunInfo {

    static final String FILE = "run.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private RunInfo() {}

    static String json(TrainerConfig config, DataSummary data, Map<String, Object> executor) {
        Map<String, Object> info = new LinkedHashMap<>(executor);
        info.putAll(data.describe());
        info.put("global_batch", config.batchSize());
        info.put("num_epochs", config.numEpochs());
        info.put("seed", config.seed());
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("proxyless_spark", "0.1.0");
        versions.put("java", System.getProperty("java.version"));
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        info.put("versions", versions);
        return GSON.toJson(info) + "\n";
    }
}
