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
    public sealed interface Source permits Prometheus, Process, Json {
        String name();

        boolean postGc();
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

    /** VmRSS of a process: by pid, by pidfile, or one that loadleak launches (and stops) itself. */
    /**
     * The resident memory of a process: a pid, a pid file, or one loadleak launches.
     *
     * @param classHistogram {@code evidence: classHistogram}: the JVM's class histogram at the start
     *                       and the end of the scored load, to say what grew
     */
    public record Process(String name, Long pid, String pidfile, String launch, String healthUrl,
                          boolean classHistogram) implements Source {
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
}
