package dev.loadleak.metrics;

import dev.loadleak.engine.Clock;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM target made to collect: {@code jcmd PID GC.run} (a full collection), then the heap in use
 * from {@code jcmd PID GC.heap_info} — the generations' or regions' "used", Metaspace left out.
 */
public final class JvmGc implements ForcedGc {
    /** G1 "garbage-first heap   total 260096K, used 10237K", Parallel/Serial generations alike. */
    private static final Pattern USED_K = Pattern.compile("total \\d+K, used (\\d+)K");
    /** ZGC "ZHeap           used 8M, capacity 32M, max capacity 4006M" (also in K or G). */
    private static final Pattern Z_USED = Pattern.compile("ZHeap\\s+used (\\d+)([KMG])");

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
            ClassHistograms.run(jcmd, p, "GC.run");
            double pause = (clock.nanoTime() - t0) / 1e6;
            return new Reading(usedBytes(ClassHistograms.run(jcmd, p, "GC.heap_info"), p), pause);
        } catch (ClassHistograms.HistogramException e) {
            throw new MemoryProbe.ProbeException(e.getMessage());
        }
    }

    /** The heap in use in a {@code GC.heap_info} answer, in bytes. */
    static double usedBytes(String heapInfo, long pid) throws MemoryProbe.ProbeException {
        long kb = 0;
        boolean any = false;
        for (String line : heapInfo.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                break;
            }
            Matcher m = USED_K.matcher(line);
            if (m.find()) {
                kb += Long.parseLong(m.group(1));
                any = true;
            }
            Matcher z = Z_USED.matcher(line);
            if (z.find()) {
                long n = Long.parseLong(z.group(1));
                kb += switch (z.group(2)) {
                    case "G" -> n << 20;
                    case "M" -> n << 10;
                    default -> n;
                };
                any = true;
            }
        }
        if (!any) {
            throw new MemoryProbe.ProbeException("jcmd " + pid + " GC.heap_info printed no heap in use");
        }
        return kb * 1024.0;
    }

    @Override
    public String how() {
        return "jcmd GC.run";
    }
}
