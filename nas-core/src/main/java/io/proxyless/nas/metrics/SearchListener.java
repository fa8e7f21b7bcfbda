package io.proxyless.nas.metrics;

import java.io.IOException;

/** Receives the loop's logged records. */
public interface SearchListener {

    void onReport(StepReport report) throws IOException;
}
