package io.proxyless.nas.checkpoint;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a checkpoint records of the search that wrote it, so that a resume either continues that very
 * search or is refused, naming the difference.
 *
 * @param config every option, flattened to {@code key.path}
 * @param data the data's source, classes, split sizes, row checksum and normalisation
 * @param run what the options leave open but the search depends on: the shard count in effect and
 *     the digest of the latency costs
 * @param threads libtorch's threads: another count changes rounding, so a resume goes on with a warning
 */
public record Fingerprints(Map<String, String> config, Map<String, String> data, Map<String, String> run,
        String threads) {

    /** The shard count in effect (with {@code shards: 0}, one per partition). */
    public static final String SHARDS = "shards";
    /** The SHA-256 of the latency costs, or {@code none}. */
    public static final String LATENCY_TABLE = "latency_table_sha256";

    static final Fingerprints NONE = new Fingerprints(Map.of(), Map.of(), Map.of(), "");

    /** The run fingerprint of a search with {@code shards} shards and latency costs of {@code latencyDigest}. */
    public static Map<String, String> run(int shards, String latencyDigest) {
        Map<String, String> run = new TreeMap<>();
        run.put(SHARDS, Integer.toString(shards));
        run.put(LATENCY_TABLE, latencyDigest == null ? "none" : latencyDigest);
        return run;
    }
}
