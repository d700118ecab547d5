package dev.loadleak.run;

import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.TimelinePoint;
import java.util.List;
import java.util.Map;

/**
 * What a running run is, once a second: one immutable value that the run publishes to every front end (the
 * console's progress line, serve's events, dashboard and /metrics, the live exporters, abortOnFail), which only
 * render it. Its figures are the run's own collector's and sampler's; its scoring is the run scored so far by the
 * same assembly and analysis, with the same parameters, as the final result ({@link MeasuredResult}).
 *
 * @param point     the second that just ended
 * @param requests  each request's outcomes so far, over every phase, in the scenario's order
 * @param memory    each memory source's latest sample (none before the first)
 * @param scored    the run scored so far (criteria, leak analysis), as of its latest scoring, or null before any
 * @param scoredNow whether {@code scored} was made this second ({@link LiveScoring}: each second for 30 s, then every 5)
 */
public record LiveSnapshot(long elapsedSeconds, long totalSeconds, String pace, long totalErrors, TimelinePoint point,
                           List<RequestNow> requests, List<MemoryNow> memory, RunResult scored, boolean scoredNow) {
    public LiveSnapshot {
        requests = List.copyOf(requests);
        memory = List.copyOf(memory);
    }

    /** One request's outcomes so far: its successes and its errors by kind (label to count, only kinds that occurred). */
    public record RequestNow(String name, long successes, Map<String, Long> errorsByKind) {
        public RequestNow {
            errorsByKind = Map.copyOf(errorsByKind);
        }
    }

    /** A memory source's latest sample: at {@code second} into the run, {@code bytes}; {@code samples} so far. */
    public record MemoryNow(String source, boolean postGc, int samples, double second, double bytes) {
    }

    /** The leak analysis so far per memory source (empty before the first scoring). */
    public List<MemorySeries> leak() {
        return scored == null ? List.of() : scored.targetMemory().memory();
    }

    /** The successes of every request so far. */
    public long successes() {
        return requests.stream().mapToLong(RequestNow::successes).sum();
    }
}
