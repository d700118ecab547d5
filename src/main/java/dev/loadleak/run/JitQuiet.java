package dev.loadleak.run;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * When a prewarm may end: once its minimum time has passed and the JIT compiler has been quiet (its
 * compile time grew by less than a fifth of the wall time over its last whole window of
 * {@value #WINDOW_MILLIS} ms), or at its maximum time. On two cores a JIT that is still compiling takes
 * one of them from the load, so a run that starts before the compiler is done starts slow. Where the
 * JVM does not report compile time (a native executable), the minimum is the end.
 */
final class JitQuiet {
    static final long WINDOW_MILLIS = 300;
    private static final long WINDOW_NANOS = WINDOW_MILLIS * 1_000_000L;

    private final LongSupplier compileMillis;
    private final long minNanos;
    private final long maxNanos;
    private long windowStart = Long.MIN_VALUE;
    private long compileAtWindowStart;
    private boolean lastWindowQuiet;

    /** {@code compileMillis}: the compiler's total time so far, or null when the JVM does not say. */
    JitQuiet(LongSupplier compileMillis, long minNanos, long maxNanos) {
        this.compileMillis = compileMillis;
        this.minNanos = minNanos;
        this.maxNanos = Math.max(minNanos, maxNanos);
    }

    /** This JVM's compile time, or null where it is not monitored. */
    static LongSupplier jvmCompileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : null;
    }

    /** Whether the prewarm may end, {@code elapsedNanos} after it began; called every 100 ms or so. */
    boolean done(long elapsedNanos) {
        if (elapsedNanos >= maxNanos) {
            return true;
        }
        if (compileMillis == null) {
            return elapsedNanos >= minNanos;
        }
        long compiled = compileMillis.getAsLong();
        if (windowStart == Long.MIN_VALUE) {
            windowStart = elapsedNanos;
            compileAtWindowStart = compiled;
            return false;
        }
        long window = elapsedNanos - windowStart;
        if (window >= WINDOW_NANOS) {
            lastWindowQuiet = (compiled - compileAtWindowStart) * 1_000_000L * 5 < window;
            windowStart = elapsedNanos;
            compileAtWindowStart = compiled;
        }
        return lastWindowQuiet && elapsedNanos >= minNanos;
    }
}
