package io.proxyless.nas.choice;

import java.util.List;

/**
 * A labelled decision in a model: which candidate(s) to use. Blocks with the same label share one
 * decision and one set of architecture parameters, as in NNI.
 */
public interface Choice {

    /** The label, unique per decision, e.g. {@code s0}. */
    String label();

    /** Candidate names, in index order. */
    List<String> candidateNames();

    /** How many candidates one forward pass uses: 1 for a layer choice, {@code k} for an input choice. */
    int numChosen();

    default int numCandidates() {
        return candidateNames().size();
    }

    /** Whether the candidate always outputs zero, so its gate gradient is 0 without running it. */
    boolean isZero(int candidate);
}
