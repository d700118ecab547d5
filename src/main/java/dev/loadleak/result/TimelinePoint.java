package dev.loadleak.result;

import java.util.List;
import java.util.Map;

/**
 * One second of a run (all phases and requests together).
 *
 * @param second       seconds since the run started (0-based)
 * @param requests     requests completed in that second (successes and errors)
 * @param errors       of which failed
 * @param p50          corrected median latency of that second's successes, µs (0 when there were none)
 * @param p95          corrected 95th percentile, µs
 * @param p99          corrected 99th percentile, µs
 * @param max          corrected maximum, µs
 * @param inFlight     requests in flight at the end of that second (closed model: the users waiting
 *                     for an answer); -1 where unknown
 * @param connections  connections open at the end of that second; -1 where the client does not say
 * @param errorsByKind that second's errors by kind (only the kinds that occurred), or null when none
 * @param realtimeOpen the flows' WebSocket and Socket.IO connections open at the end of that second, or
 *                     null when none has been opened yet
 */
public record TimelinePoint(long second, long requests, long errors, long p50, long p95, long p99, long max,
                            long inFlight, long connections, Map<String, Long> errorsByKind, Long realtimeOpen) {
    public TimelinePoint(long second, long requests, long errors, long p50, long p95, long p99, long max) {
        this(second, requests, errors, p50, p95, p99, max, -1, -1, null, null);
    }

    public TimelinePoint(long second, long requests, long errors, long p50, long p95, long p99, long max,
                         long inFlight, long connections, Map<String, Long> errorsByKind) {
        this(second, requests, errors, p50, p95, p99, max, inFlight, connections, errorsByKind, null);
    }

    /** At most {@code max} points: buckets of seconds keep their mean throughput, worst latency and highest gauges. */
    public static List<TimelinePoint> downsample(List<TimelinePoint> t, int max) {
        if (t.size() <= max) {
            return t;
        }
        int k = (int) Math.ceil((double) t.size() / max);
        List<TimelinePoint> out = new java.util.ArrayList<>();
        for (int i = 0; i < t.size(); i += k) {
            List<TimelinePoint> b = t.subList(i, Math.min(t.size(), i + k));
            java.util.Map<String, Long> kinds = new java.util.LinkedHashMap<>();
            b.forEach(p -> {
                if (p.errorsByKind() != null) {
                    p.errorsByKind().forEach((kind, v) -> kinds.merge(kind, v, Long::sum));
                }
            });
            kinds.replaceAll((kind, v) -> Math.round((double) v / b.size()));
            out.add(new TimelinePoint(b.get(0).second(), Math.round(b.stream().mapToLong(TimelinePoint::requests).average()
                    .orElse(0)), Math.round(b.stream().mapToLong(TimelinePoint::errors).average().orElse(0)),
                    b.stream().mapToLong(TimelinePoint::p50).max().orElse(0),
                    b.stream().mapToLong(TimelinePoint::p95).max().orElse(0),
                    b.stream().mapToLong(TimelinePoint::p99).max().orElse(0),
                    b.stream().mapToLong(TimelinePoint::max).max().orElse(0),
                    b.stream().mapToLong(TimelinePoint::inFlight).max().orElse(-1),
                    b.stream().mapToLong(TimelinePoint::connections).max().orElse(-1), kinds.isEmpty() ? null : kinds,
                    b.stream().map(TimelinePoint::realtimeOpen).filter(java.util.Objects::nonNull)
                            .max(Long::compare).orElse(null)));
        }
        return out;
    }
}
