package dev.loadleak.run;

/**
 * When a running run is scored on its figures so far (the live view of the dashboard, SSE and
 * /metrics, and {@code abortOnFail}): every second for the first 30 s, then every 5 s — a soak's
 * leak detector over hours of samples need not run each second.
 */
public final class LiveScoring {
    static final long DENSE_SECONDS = 30;
    static final long SPARSE_EVERY = 5;

    private LiveScoring() {
    }

    public static boolean due(long elapsedSeconds) {
        return elapsedSeconds < DENSE_SECONDS || elapsedSeconds % SPARSE_EVERY == 0;
    }
}
