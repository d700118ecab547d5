package dev.loadleak.analysis;

import dev.loadleak.metrics.Stats;
import dev.loadleak.metrics.TimelinePoint;
import java.util.List;
import java.util.Map;

/**
 * Everything one run produced; every report is rendered from this alone, and it is what
 * {@code result.json} holds. Field names are a contract documented in the README: bump
 * {@link #SCHEMA_VERSION} on a breaking change.
 *
 * @param status          {@code completed}, {@code interrupted} or {@code failed}
 * @param durationSeconds planned duration for a completed run, measured time for an interrupted one
 * @param sendLagMicros   how late requests left compared with their intended time
 * @param errorSamples    the first message seen for each error kind, e.g. "Connection refused"
 */
public record RunResult(int schemaVersion, String status, ScenarioInfo scenario, String startedAt,
                        double durationSeconds, long intendedRequests, Stats overall, Map<String, Stats> requests,
                        Map<String, Stats> phases, Stats.Summary sendLagMicros, Map<String, String> errorSamples,
                        List<TimelinePoint> timeline) {

    public static final int SCHEMA_VERSION = 1;

    /** What was run: name, file and target base URL, and the intended rate of each phase. */
    public record ScenarioInfo(String name, String file, String target, List<PhaseInfo> phases) {
    }

    public record PhaseInfo(String name, double durationSeconds, double ratePerSecond) {
    }
}
