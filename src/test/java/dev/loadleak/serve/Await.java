package dev.loadleak.serve;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** Awaits a condition on something real (a server, a browser) with a bound, polling it: no fixed sleep. */
public final class Await {
    private static final long POLL_NANOS = 50_000_000L;

    private Await() {
    }

    /** Probes until {@code done} accepts the value or {@code bound} has passed; returns the last value probed. */
    public static <T> T until(Duration bound, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        T value = probe.call();
        while (!done.test(value) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_NANOS);
            value = probe.call();
        }
        return value;
    }
}
