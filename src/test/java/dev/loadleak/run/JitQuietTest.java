package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a prewarm ends: a fake compile-time counter and elapsed times, no real JIT and no sleeping. */
class JitQuietTest {
    private static final long MS = 1_000_000L;

    /**
     * When a prewarm of 2 s to 6 s ends, checked every 100 ms, while the compiler works
     * {@code busyMillisPerStep} ms a step until {@code busyUntilMillis}.
     */
    private static long endMillis(long busyUntilMillis, long busyMillisPerStep) {
        AtomicLong compiled = new AtomicLong();
        JitQuiet q = new JitQuiet(compiled::get, 2000 * MS, 6000 * MS);
        for (long t = 0; t <= 60_000; t += 100) {
            if (t > 0 && t <= busyUntilMillis) {
                compiled.addAndGet(busyMillisPerStep);
            }
            if (q.done(t * MS)) {
                return t;
            }
        }
        throw new AssertionError("never done");
    }

    @Test
    void aQuietCompilerEndsThePrewarmAtItsMinimum() {
        assertEquals(2000, endMillis(0, 0));
    }

    @Test
    void aBusyCompilerKeepsItGoingUntilItIsQuiet() {
        // C2 busy for 3.5 s (90 ms of compiling per 100 ms): done at the first quiet 300 ms window after it
        long end = endMillis(3500, 90);
        assertTrue(end >= 3800 && end <= 4200, "ended at " + end + " ms");
    }

    @Test
    void aCompilerThatNeverQuietsStopsAtTheMaximum() {
        assertEquals(6000, endMillis(60_000, 30));
    }

    @Test
    void aLittleCompilingIsQuietEnough() {
        // 15 ms a step is 15 % of the time: quiet enough
        assertEquals(2000, endMillis(60_000, 15));
    }

    @Test
    void withoutCompileTimeTheMinimumIsTheEnd() {
        JitQuiet q = new JitQuiet(null, 2000 * MS, 6000 * MS);
        assertFalse(q.done(1999 * MS));
        assertTrue(q.done(2000 * MS));
    }
}
