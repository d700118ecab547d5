package dev.loadleak.run;

import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.TimelinePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes a run's {@link LiveSnapshot} each second: the outcomes per request from the collector (counts only, no
 * histogram is copied), the latest memory samples, and, when {@link LiveScoring} says so, the run scored so far by
 * {@code scorer} (the final result's assembly over what was measured until now). A scoring that throws keeps the
 * previous one: a live view never breaks the run. Called on the run's collector thread.
 */
final class LiveView {
    private final Collector collector;
    private final MemorySampler sampler;
    private final List<String> names;
    private final Supplier<RunResult> scorer;
    private RunResult scored;

    LiveView(Collector collector, MemorySampler sampler, List<String> names, Supplier<RunResult> scorer) {
        this.collector = collector;
        this.sampler = sampler;
        this.names = List.copyOf(names);
        this.scorer = scorer;
    }

    LiveSnapshot next(TimelinePoint p, long elapsedSeconds, long totalSeconds, String pace, long totalErrors) {
        boolean now = scorer != null && LiveScoring.due(elapsedSeconds);
        if (now) {
            try {
                scored = scorer.get();
            } catch (RuntimeException e) {
                now = false; // the final scoring will say what is wrong
            }
        }
        return new LiveSnapshot(elapsedSeconds, totalSeconds, pace, totalErrors, p, requests(), memory(), scored, now);
    }

    private List<LiveSnapshot.RequestNow> requests() {
        long[][] outcomes = collector.outcomesByRequest();
        List<LiveSnapshot.RequestNow> out = new ArrayList<>(names.size());
        for (int r = 0; r < names.size() && r < outcomes.length; r++) {
            Map<String, Long> errors = new LinkedHashMap<>();
            for (ErrorKind k : ErrorKind.values()) {
                if (outcomes[r][1 + k.ordinal()] > 0) {
                    errors.put(k.label(), outcomes[r][1 + k.ordinal()]);
                }
            }
            out.add(new LiveSnapshot.RequestNow(names.get(r), outcomes[r][0], errors));
        }
        return out;
    }

    private List<LiveSnapshot.MemoryNow> memory() {
        List<LiveSnapshot.MemoryNow> out = new ArrayList<>();
        if (sampler != null) {
            for (MemorySampler.Series s : sampler.series()) {
                int n = s.seconds().length;
                out.add(new LiveSnapshot.MemoryNow(s.name(), s.postGc(), n, n > 0 ? s.seconds()[n - 1] : Double.NaN,
                        n > 0 ? s.values()[n - 1] : Double.NaN));
            }
        }
        return out;
    }
}
