package dev.loadleak.run;

import dev.loadleak.metrics.ClassHistograms;
import dev.loadleak.result.ClassGrowth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Evidence of what grows in a JVM target: its class histogram ({@code jcmd <pid> GC.class_histogram})
 * when the scored load starts (the end of the warm-up) and when the load ends, diffed. Checked
 * before any load: no jcmd, or a pid that is not a JVM, is a clear error then, not a surprise later.
 */
final class EvidenceTaker implements AutoCloseable {
    /** A JVM process whose histogram is taken: the memory source's name and its pid (read when needed). */
    record Target(String source, LongSupplier pid) {
    }

    private final List<Target> targets;
    private final Path jcmd;
    private final Map<String, Map<String, long[]>> before = new LinkedHashMap<>();
    private final Map<String, Double> beforeAt = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadleak-evidence");
        t.setDaemon(true);
        return t;
    });

    private EvidenceTaker(List<Target> targets, Path jcmd) {
        this.targets = targets;
        this.jcmd = jcmd;
    }

    /** Checks jcmd and every pid now; none when no source asks for a histogram. */
    static EvidenceTaker check(List<Target> targets) {
        if (targets.isEmpty()) {
            return new EvidenceTaker(List.of(), null);
        }
        Path jcmd = ClassHistograms.jcmd();
        if (jcmd == null) {
            throw new RunFailure(RunFailure.Kind.COULD_NOT_RUN, "evidence: classHistogram needs jcmd (a JDK's bin/jcmd, "
                    + "on PATH or beside this java), and there is none on this machine; no load was sent");
        }
        for (Target t : targets) {
            try {
                ClassHistograms.check(jcmd, t.pid().getAsLong());
            } catch (ClassHistograms.HistogramException e) {
                throw new RunFailure(RunFailure.Kind.COULD_NOT_RUN, "evidence: classHistogram of " + t.source() + ": "
                        + e.getMessage() + "; no load was sent");
            }
        }
        return new EvidenceTaker(targets, jcmd);
    }

    /** Takes the first histograms {@code delaySeconds} from now (at {@code atSecond} of the run). */
    void startAt(double delaySeconds, double atSecond) {
        if (targets.isEmpty()) {
            return;
        }
        thread.schedule(() -> {
            for (Target t : targets) {
                try {
                    before.put(t.source(), ClassHistograms.take(jcmd, t.pid().getAsLong()));
                    beforeAt.put(t.source(), atSecond);
                } catch (ClassHistograms.HistogramException e) {
                    errors.put(t.source(), e.getMessage());
                }
            }
        }, Math.max(0, Math.round(delaySeconds * 1000)), TimeUnit.MILLISECONDS);
    }

    /** Takes the second histograms now (the load has ended) and returns the diffs. */
    List<ClassGrowth> finish(double atSecond) {
        List<ClassGrowth> out = new ArrayList<>();
        if (targets.isEmpty()) {
            return out;
        }
        thread.shutdown();
        try {
            thread.awaitTermination(70, TimeUnit.SECONDS); // a first histogram still being taken
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Target t : targets) {
            long pid = t.pid().getAsLong();
            Map<String, long[]> first = before.get(t.source());
            if (first == null) {
                out.add(ClassGrowth.failed(t.source(), pid, errors.getOrDefault(t.source(),
                        "the run ended before the scored load started: no first histogram")));
                continue;
            }
            try {
                out.add(ClassGrowth.of(t.source(), pid, beforeAt.get(t.source()), atSecond, first,
                        ClassHistograms.take(jcmd, pid)));
            } catch (ClassHistograms.HistogramException e) {
                out.add(ClassGrowth.failed(t.source(), pid, e.getMessage()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
