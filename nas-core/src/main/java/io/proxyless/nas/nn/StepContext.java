package io.proxyless.nas.nn;

import ai.djl.util.PairList;

import java.util.Map;

/**
 * What one supernet forward pass needs beyond its input: which candidate each choice runs, which
 * candidates need gate gradients, and where batch-norm statistics go.
 *
 * <p>It travels down the block tree in DJL's forward parameters, so blocks hold no per-step state
 * and a built supernet can be reused by every step of a JVM. DJL's own containers
 * ({@code SequentialBlock}, {@code ParallelBlock}) do not pass forward parameters on, so the caller
 * also makes it the thread's current context for the duration of the forward call ({@link #enter}),
 * and a block that finds none in its parameters takes that one.
 */
public final class StepContext {

    /** Key under which the context travels in a forward call's parameters. */
    public static final String KEY = "proxyless.step";

    private final Map<String, ChoiceRouting> routing;
    private final BatchStatsRecorder batchStats;
    private final GateRecorder gates;

    public StepContext(
            Map<String, ChoiceRouting> routing, BatchStatsRecorder batchStats, GateRecorder gates) {
        this.routing = Map.copyOf(routing);
        this.batchStats = batchStats;
        this.gates = gates;
    }

    /** Wraps the context as DJL forward parameters. */
    public PairList<String, Object> asForwardParameters() {
        PairList<String, Object> params = new PairList<>();
        params.add(KEY, this);
        return params;
    }

    private static final ThreadLocal<StepContext> CURRENT = new ThreadLocal<>();

    /** Undoes {@link #enter}: the previous context becomes current again. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Makes this the thread's current context until the scope closes; scopes nest. */
    public Scope enter() {
        StepContext previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /**
     * The context carried by the forward parameters, else the thread's current one ({@link #enter}),
     * or {@code null} when there is none.
     */
    public static StepContext from(PairList<String, Object> params) {
        Object value = params == null ? null : params.get(KEY);
        return value instanceof StepContext context ? context : CURRENT.get();
    }

    /** How the choice with this label runs; throws if the path does not name it. */
    public ChoiceRouting routingFor(String label) {
        ChoiceRouting choice = routing.get(label);
        if (choice == null) {
            throw new IllegalStateException("the sampled path has no entry for choice '" + label + "'");
        }
        return choice;
    }

    /** Receives batch statistics of normalisation layers, or {@code null} when none are kept. */
    public BatchStatsRecorder batchStats() {
        return batchStats;
    }

    /** Receives gate arrays whose gradients are wanted, or {@code null} when none are. */
    public GateRecorder gates() {
        return gates;
    }
}
