package dev.loadleak.run;

import dev.loadleak.analysis.ExactRetention;
import dev.loadleak.analysis.HeapDiff;
import dev.loadleak.metrics.ForcedGc;
import dev.loadleak.metrics.MemoryProbe;
import dev.loadleak.metrics.NodeInspector;
import dev.loadleak.result.HeapGrowth;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Forced collections in the target ({@code forceGc}): at the scored load's start, every
 * {@code forceGcEvery} while it runs, and at its end — each time three collections in a row, whose
 * readings after collection are the exact series and whose spread is its measurement error. With
 * {@code evidence: heapSnapshot}, a V8 heap snapshot after the first and after the last, diffed.
 */
final class ForcedGcs implements AutoCloseable {
    /** Readings a time: the spread of repeated readings is the interval of what is retained. */
    static final int READINGS = 3;
    /**
     * Before the first readings, this many unrecorded collections, then {@link #SETTLE_MILLIS} for the
     * target's cleaners and finalizers to run on what they found unreachable. An object behind a chain
     * of cleaners takes several collections to go: the built-in JVM target, idle, released 0.8 MB (an
     * int[]) at its 4th full collection whatever the time between them, and when that fell in the first
     * round the bytes per request came out 2-6 % low. Benchmarks collect as often before they measure
     * (JOL's and Bloch's four System.gc() calls; memlab collects repeatedly before each snapshot).
     */
    static final int SETTLE_COLLECTIONS = 3;
    static final long SETTLE_MILLIS = 500;

    /** A target: its source's name, how it collects, and for heap snapshots its inspector. */
    record Target(String source, ForcedGc gc, long everyNanos, NodeInspector snapshots) {
    }

    private final List<Target> targets;
    private final Path outDir;
    private final DoubleSupplier nowSecond;
    private final List<List<ExactRetention.Reading>> readings = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<List<Double>> settlePauses = new ArrayList<>();
    private final Path[] firstSnapshot;
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "loadleak-forced-gc");
        t.setDaemon(true);
        return t;
    });

    ForcedGcs(List<Target> targets, Path outDir, DoubleSupplier nowSecond) {
        this.targets = List.copyOf(targets);
        this.outDir = outDir;
        this.nowSecond = nowSecond;
        this.firstSnapshot = new Path[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            readings.add(new ArrayList<>());
            settlePauses.add(new ArrayList<>());
            errors.add(null);
        }
    }

    boolean any() {
        return !targets.isEmpty();
    }

    /** The first collections {@code delaySeconds} from now (the scored load's start), then every target's period. */
    void startAt(double delaySeconds) {
        long first = Math.max(0, Math.round(delaySeconds * 1000));
        long delay = first + SETTLE_MILLIS;
        for (int i = 0; i < targets.size(); i++) {
            int k = i;
            thread.schedule(() -> settle(k), first, TimeUnit.MILLISECONDS);
            thread.schedule(() -> boundary(k, "start"), delay, TimeUnit.MILLISECONDS);
            long every = targets.get(i).everyNanos() / 1_000_000;
            if (every > 0) {
                thread.scheduleAtFixedRate(() -> boundary(k, null), delay + every, every, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The unrecorded first collections (their pauses are reported with the others'). */
    private void settle(int k) {
        try {
            for (int i = 0; i < SETTLE_COLLECTIONS; i++) {
                ForcedGc.Reading r = targets.get(k).gc().collect();
                synchronized (readings) {
                    settlePauses.get(k).add(r.pauseMillis());
                }
            }
        } catch (MemoryProbe.ProbeException e) {
            synchronized (readings) {
                errors.set(k, e.getMessage());
            }
        }
    }

    private void boundary(int k, String snapshotLabel) {
        Target t = targets.get(k);
        int round;
        synchronized (readings) {
            round = readings.get(k).isEmpty() ? 0 : readings.get(k).get(readings.get(k).size() - 1).round() + 1;
        }
        for (int i = 0; i < READINGS; i++) {
            try {
                ForcedGc.Reading r = t.gc().collect();
                synchronized (readings) {
                    readings.get(k).add(new ExactRetention.Reading(round, nowSecond.getAsDouble(), r.usedBytes(),
                            r.pauseMillis()));
                }
            } catch (MemoryProbe.ProbeException e) {
                synchronized (readings) {
                    errors.set(k, e.getMessage());
                }
                return;
            }
        }
        if (snapshotLabel != null && t.snapshots() != null) {
            Path file = outDir.resolve("heap-" + t.source().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + snapshotLabel
                    + ".heapsnapshot");
            try {
                t.snapshots().snapshot(file);
                if (snapshotLabel.equals("start")) {
                    firstSnapshot[k] = file;
                }
            } catch (MemoryProbe.ProbeException e) {
                synchronized (readings) {
                    errors.set(k, e.getMessage());
                }
            }
        }
    }

    /** The load has ended: the last collections (and snapshots) now; each target's readings and heap growth. */
    List<ExactRetention.Forced> finish() {
        List<ExactRetention.Forced> out = new ArrayList<>();
        if (targets.isEmpty()) {
            return out;
        }
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a start not yet reached never comes
        thread.shutdown();
        try {
            thread.awaitTermination(120, TimeUnit.SECONDS); // a start boundary or snapshot still being taken
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int k = 0; k < targets.size(); k++) {
            Target t = targets.get(k);
            boolean started;
            synchronized (readings) {
                started = !readings.get(k).isEmpty();
            }
            if (started) {
                boundary(k, "end");
            }
            HeapGrowth growth = null;
            Path first = firstSnapshot[k];
            Path last = outDir.resolve("heap-" + t.source().replaceAll("[^A-Za-z0-9._-]", "_") + "-end.heapsnapshot");
            if (t.snapshots() != null && first != null && java.nio.file.Files.exists(last)) {
                try {
                    growth = HeapDiff.of(t.source(), first, last);
                } catch (IOException | RuntimeException e) {
                    growth = HeapGrowth.failed(t.source(), "cannot read the heap snapshots: " + e.getMessage());
                }
            } else if (t.snapshots() != null) {
                growth = HeapGrowth.failed(t.source(), errors.get(k) != null ? errors.get(k)
                        : "the run ended before the scored load started: no first snapshot");
            }
            synchronized (readings) {
                out.add(new ExactRetention.Forced(t.source(), t.gc().how(), List.copyOf(readings.get(k)),
                        errors.get(k), growth, List.copyOf(settlePauses.get(k))));
            }
        }
        return out;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
