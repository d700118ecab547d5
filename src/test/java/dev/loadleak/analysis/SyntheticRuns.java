package dev.loadleak.analysis;

import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.result.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/** Synthetic runs for comparison and report tests: per-second log-normal latencies, fixed seeds. */
public final class SyntheticRuns {
    private SyntheticRuns() {
    }

    /**
     * A 60 s run at {@code perSecond} requests a second whose latencies are log-normal with the
     * given median (µs) and shape, scaled by {@code factor}; {@code errorShare} of requests fail.
     */
    public static RunResult run(long seed, double medianMicros, double factor, int perSecond, double errorShare) {
        SplittableRandom r = new SplittableRandom(seed);
        Histogram all = new Histogram(3);
        List<TimelinePoint> timeline = new ArrayList<>();
        long errors = 0;
        for (int s = 0; s < 60; s++) {
            Histogram sec = new Histogram(3);
            long secErrors = 0;
            for (int i = 0; i < perSecond; i++) {
                if (r.nextDouble() < errorShare) {
                    secErrors++;
                    continue;
                }
                double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                long v = Math.max(1, Math.round(medianMicros * factor * Math.exp(0.5 * g)));
                sec.recordValue(v);
                all.recordValue(v);
            }
            errors += secErrors;
            timeline.add(new TimelinePoint(s, perSecond, secErrors, sec.getValueAtPercentile(50),
                    sec.getValueAtPercentile(95), sec.getValueAtPercentile(99), sec.getMaxValue()));
        }
        long[] byKind = new long[dev.loadleak.result.ErrorKind.values().length];
        byKind[dev.loadleak.result.ErrorKind.STATUS_5XX.ordinal()] = errors;
        Stats s = Stats.of(all, all, byKind, 0, 60L * perSecond, 0, 60);
        Map<String, Stats> req = new LinkedHashMap<>();
        req.put("list", s);
        return RunResult.builder().loadleakVersion("test").scenario(new RunResult.ScenarioInfo("synthetic", "x.yaml",
                        "http://127.0.0.1:1", List.of(new RunResult.PhaseInfo("steady", 60, "constant 200/s", 200, false,
                        "corrected")), List.of("list")))
                .startedAt("2026-11-22T00:00:00Z").durationSeconds(60).intendedRequests(60L * perSecond).overall(s)
                .requests(req).phases(Map.of("steady", s)).timeline(timeline).memory(List.of()).targetMetrics(Map.of())
                .score(100).verdict(Verdict.GO).build();
    }
}
