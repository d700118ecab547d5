package dev.loadleak.scenario;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The {@code memory:} block: where the target's memory is read, how often, and when growth counts
 * as a leak.
 *
 * @param intervalNanos      sampling interval (default 1 s)
 * @param warmupShare        share of the run excluded from leak analysis when no phase is marked warm-up
 * @param leakThresholdMBPerHour growth above this (with a significant trend) is a LEAK
 */
public record MemoryConfig(List<Source> sources, long intervalNanos, double warmupShare,
                           double leakThresholdMBPerHour) {
    public static final long DEFAULT_INTERVAL_NANOS = 1_000_000_000L;
    public static final double DEFAULT_WARMUP_SHARE = 0.2;
    public static final double DEFAULT_LEAK_THRESHOLD_MB_PER_HOUR = 5.0;

    public MemoryConfig {
        sources = List.copyOf(sources);
    }

    /** One memory series. {@code postGc} says the values already are a post-GC floor. */
    public sealed interface Source permits Prometheus, Process, Json, Node {
        String name();

        boolean postGc();

        /** {@code forceGc}: the target is made to collect at the scored load's start and end (and every {@link #forceGcEveryNanos}). */
        default boolean forceGc() {
            return false;
        }

        /** {@code forceGcEvery}: nanoseconds between forced collections during the load; 0 for only start and end. */
        default long forceGcEveryNanos() {
            return 0;
        }
    }

    /**
     * A metric scraped from a Prometheus text endpoint; matching series are summed.
     *
     * @param url         a path on the target (e.g. /metrics) or a full URL
     * @param tokenEnv    environment variable holding a bearer token, or null
     */
    public record Prometheus(String name, String url, String metric, Map<String, String> labels, String tokenEnv,
                             String token, boolean postGc) implements Source {
        public URI resolve(URI target) {
            return Confinement.resolve(target, url);
        }
    }

    /**
     * The resident memory of a process: a pid, a pid file, or one loadleak launches.
     *
     * @param classHistogram {@code evidence: classHistogram}: the JVM's class histogram at the start
     *                       and the end of the scored load, to say what grew
     * @param forceGc        {@code forceGc: true}: the JVM is made to collect and its live bytes counted
     *                       ({@code jcmd GC.class_histogram}'s Total)
     */
    public record Process(String name, Long pid, String pidfile, String launch, String healthUrl,
                          boolean classHistogram, boolean forceGc, long forceGcEveryNanos) implements Source {
        public Process(String name, Long pid, String pidfile, String launch, String healthUrl, boolean classHistogram) {
            this(name, pid, pidfile, launch, healthUrl, classHistogram, false, 0);
        }

        @Override
        public boolean postGc() {
            return false;
        }
    }

    /** A number (or "12MB"-style text) at a JSON pointer of a JSON endpoint. */
    public record Json(String name, String url, String pointer, boolean postGc) implements Source {
        public URI resolve(URI target) {
            return Confinement.resolve(target, url);
        }
    }

    /**
     * A Node.js process's V8 heap through its inspector ({@code node --inspect=HOST:PORT}): the heap
     * in use each interval, forced collections, heap snapshots.
     *
     * @param heapSnapshot {@code evidence: heapSnapshot}: snapshots after the forced collections at the
     *                     scored load's start and end, diffed by constructor with retainer paths
     */
    public record Node(String name, String host, int port, boolean forceGc, long forceGcEveryNanos,
                       boolean heapSnapshot) implements Source {
        @Override
        public boolean postGc() {
            return false;
        }
    }
}
