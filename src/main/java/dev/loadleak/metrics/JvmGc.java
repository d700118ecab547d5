package dev.loadleak.metrics;

import dev.loadleak.engine.Clock;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM target made to collect: {@code jcmd PID GC.class_histogram}, which runs a full collection
 * and counts the live objects at the same safepoint — its Total line is the heap the target really
 * keeps, with no allocation between the collection and the reading (a {@code GC.run} followed by
 * {@code GC.heap_info} let the target's requests fill eden in between: ±0.3 MB of noise per reading
 * at 200 requests/s), on every collector alike, and in one attach instead of two.
 */
public final class JvmGc implements ForcedGc {
    /** "Total        130859        7939224": instances, then bytes. */
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private final Path jcmd;
    private final LongSupplier pid;
    private final Clock clock;

    /** {@code clock} times each collection's pause. */
    public JvmGc(Path jcmd, LongSupplier pid, Clock clock) {
        this.jcmd = jcmd;
        this.pid = pid;
        this.clock = clock;
    }

    @Override
    public Reading collect() throws MemoryProbe.ProbeException {
        long p = pid.getAsLong();
        try {
            long t0 = clock.nanoTime();
            String histogram = ClassHistograms.run(jcmd, p, "GC.class_histogram");
            double pause = (clock.nanoTime() - t0) / 1e6;
            return new Reading(liveBytes(histogram, p), pause);
        } catch (ClassHistograms.HistogramException e) {
            throw new MemoryProbe.ProbeException(e.getMessage());
        }
    }

    /** The live bytes in a {@code GC.class_histogram} answer: its Total line. */
    static double liveBytes(String histogram, long pid) throws MemoryProbe.ProbeException {
        Matcher m = TOTAL.matcher(histogram);
        if (!m.find()) {
            throw new MemoryProbe.ProbeException("jcmd " + pid + " GC.class_histogram printed no Total line");
        }
        return Double.parseDouble(m.group(1));
    }

    @Override
    public String how() {
        return "jcmd GC.class_histogram";
    }
}
