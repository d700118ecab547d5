package dev.loadleak.engine;

/**
 * Where the engine reports each request. Called on the engine's event loop, so implementations
 * must be cheap and must not block; all times are from the engine's {@link Clock}.
 */
public interface ResultSink {
    /** A request left (or started to leave) at {@code sentNanos}; it was due at {@code intendedNanos}. */
    void onSend(int phase, int request, long intendedNanos, long sentNanos);

    /** A complete response with a status below 400 arrived at {@code doneNanos}. */
    void onSuccess(int phase, int request, int status, long intendedNanos, long sentNanos, long doneNanos);

    /** The request failed; {@code detail} says how (e.g. "Connection refused: /127.0.0.1:9"). */
    void onError(int phase, int request, ErrorKind kind, String detail, long intendedNanos, long sentNanos,
                 long doneNanos);
}
