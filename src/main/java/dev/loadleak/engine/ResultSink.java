package dev.loadleak.engine;

import dev.loadleak.result.ErrorKind;

/**
 * Where the engine reports each request. Called on the engine's event loop, so implementations
 * must be cheap and must not block; all times are from the engine's {@link Clock}.
 */
public interface ResultSink {
    /** A request left at {@code sentNanos} carrying {@code bodyBytes}; it was due at {@code intendedNanos}. */
    void onSend(int phase, int request, long intendedNanos, long sentNanos, long bodyBytes);

    /**
     * A response that passed its checks arrived at {@code doneNanos}.
     *
     * @param expectedIntervalNanos for closed and max-rate phases, the interval at which this user
     *                              would have sent had the target kept up (used to correct for
     *                              coordinated omission); 0 for open phases, whose intended send
     *                              times already correct it
     */
    void onSuccess(int phase, int request, int status, long intendedNanos, long sentNanos, long doneNanos,
                   long expectedIntervalNanos);

    /**
     * A request due at {@code intendedNanos} could not be sent by {@code nowNanos}, when its timeout
     * from the intended time had passed (or the run's planned end came) while every connection was
     * busy: it is counted as a late send and a {@code timeout} error, never silently dropped.
     */
    void onNotSent(int phase, int request, long intendedNanos, long nowNanos, String detail);

    /** The request failed; {@code detail} says how (e.g. "Connection refused: /127.0.0.1:9"). */
    void onError(int phase, int request, ErrorKind kind, String detail, long intendedNanos, long sentNanos,
                 long doneNanos);

    /** A flow iteration of flow {@code flow} started in phase {@code phase}. */
    default void onIterationStart(int phase, int flow) {
    }

    /**
     * A flow iteration ended at {@code endNanos}; it was due at {@code intendedNanos} and its first
     * step left at {@code firstSentNanos} (its duration is corrected from the first, uncorrected from the second).
     */
    default void onIterationEnd(int phase, int flow, IterationEnd how, long intendedNanos, long firstSentNanos,
                                long endNanos) {
    }

    /** A flow step ({@code request}) was not sent because its iteration had ended. */
    default void onSkipped(int phase, int request) {
    }

    /** A real-time connection of a user of flow {@code flow} (its iteration started in {@code phase}) did {@code what}. */
    default void onRealtime(int phase, int flow, RealtimeEvent what) {
    }

    /**
     * The sink one more writer (an engine stripe on its own event loop) reports to; a sink that
     * keeps per-writer state returns a new one, so that writers never contend. By default, itself.
     */
    default ResultSink forWriter() {
        return this;
    }
}
