package io.proxyless.nas.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time of a run's phases, each from the end of the one before: what {@code run.json} records. */
final class PhaseClock {

    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Ends the phase {@code name} now; a phase ended twice adds up. */
    void end(String name) {
        long now = System.nanoTime();
        seconds.merge(name, (now - last) / 1e9, Double::sum);
        last = now;
    }

    Map<String, Double> seconds() {
        return new LinkedHashMap<>(seconds);
    }
}
