package dev.loadleak.metrics;

import dev.loadleak.engine.Clock;
import dev.loadleak.result.MemoryKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the target's memory (and any target metrics criteria name) on its own thread and
 * schedule, so a slow or dead metrics endpoint never slows the load. A slow scrape is a late
 * sample, not a lost one: each sample is stamped when its answer arrives, and the ticks a slow
 * scrape overlapped are skipped (not run back to back). Only a scrape that fails or times out
 * (its own timeout, several intervals by default) is a gap, with its reason. Storage is two growable arrays per series: 16 bytes a sample, about 1.4 MB
 * per series for a day at one sample a second.
 */
public final class MemorySampler implements AutoCloseable {
    /** One series to sample. */
    public record Source(String name, MemoryKind kind, boolean postGc, MemoryProbe probe) {
    }

    /** What was sampled: times are seconds since the run started. */
    public record Series(String name, MemoryKind kind, boolean postGc, double[] seconds, double[] values,
                         List<Gap> gaps) {
    }

    /** Consecutive samples that failed for the same reason, from {@code second} to {@code until}. */
    public record Gap(double second, double until, int count, String reason) {
    }

    private final List<Source> sources;
    private final Clock clock;
    private final long startNanos;
    private final long intervalNanos;
    private final Buffer[] buffers;
    private ScheduledExecutorService executor;
    private long origin;

    public MemorySampler(List<Source> sources, Clock clock, long startNanos, long intervalNanos) {
        this.sources = List.copyOf(sources);
        this.clock = clock;
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
        this.buffers = new Buffer[sources.size()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = new Buffer();
        }
    }

    /** Samples at once and then every interval, on a daemon thread of its own. */
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadleak-memory-sampler");
            t.setDaemon(true);
            return t;
        });
        origin = clock.nanoTime();
        executor.execute(() -> tick(0));
    }

    /** Samples at tick {@code k} (origin + k intervals), then waits for the next tick that has not passed yet. */
    private void tick(long k) {
        sampleOnce();
        long elapsed = clock.nanoTime() - origin;
        long next = Math.max(k + 1, elapsed / intervalNanos + 1);
        try {
            executor.schedule(() -> tick(next), origin + next * intervalNanos - clock.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the run ended while this sample was taken
        }
    }

    /** Takes one sample of every source, each stamped on the run's clock when its answer arrived. */
    public void sampleOnce() {
        for (int i = 0; i < sources.size(); i++) {
            Buffer b = buffers[i];
            try {
                double v = sources.get(i).probe().sample();
                double second = (clock.nanoTime() - startNanos) / 1e9;
                synchronized (b) {
                    b.add(second, v);
                }
            } catch (MemoryProbe.ProbeException e) {
                synchronized (b) {
                    b.gap((clock.nanoTime() - startNanos) / 1e9, e.getMessage());
                }
            } catch (RuntimeException e) {
                synchronized (b) {
                    b.gap((clock.nanoTime() - startNanos) / 1e9, "probe failed: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            // let a sample in progress finish: interrupting it would record a false gap
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A copy of every series so far. */
    public List<Series> series() {
        List<Series> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            Buffer b = buffers[i];
            synchronized (b) {
                out.add(new Series(s.name(), s.kind(), s.postGc(), Arrays.copyOf(b.t, b.n), Arrays.copyOf(b.v, b.n),
                        List.copyOf(b.gaps)));
            }
        }
        return out;
    }

    private static final class Buffer {
        double[] t = new double[256];
        double[] v = new double[256];
        int n;
        final List<Gap> gaps = new ArrayList<>();
        boolean lastWasGap;

        void add(double second, double value) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                v = Arrays.copyOf(v, n * 2);
            }
            t[n] = second;
            v[n] = value;
            n++;
            lastWasGap = false;
        }

        /** Merges a failure into the previous gap when nothing succeeded since and the reason is the same. */
        void gap(double second, String reason) {
            double s = Math.round(second * 1000) / 1000.0;
            Gap last = gaps.isEmpty() ? null : gaps.get(gaps.size() - 1);
            if (lastWasGap && last != null && last.reason().equals(reason)) {
                gaps.set(gaps.size() - 1, new Gap(last.second(), s, last.count() + 1, reason));
            } else {
                gaps.add(new Gap(s, s, 1, reason));
            }
            lastWasGap = true;
        }
    }
}
