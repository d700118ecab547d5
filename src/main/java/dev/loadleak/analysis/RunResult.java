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
 * @param durationSeconds the run's duration: planned for a completed run, measured for an interrupted one
 * @param overall         all requests of the scored (non-warm-up) phases
 * @param requests        per request, scored phases only
 * @param phases          per phase, warm-up phases included
 * @param sendLagMicros   how late requests left compared with their intended time, over the scored
 *                        (non-warm-up) phases, or all phases when every phase is a warm-up
 * @param errorSamples    the first message seen for each error kind, e.g. "Connection refused"
 * @param memory          one entry per memory source: samples, gaps, floor and leak analysis
 * @param targetMetrics   series of scraped target metrics named by criteria: name to [[seconds, value]]
 * @param criteria        every criterion with its actual value and pass/fail
 * @param warnings        what the user must know to read the figures, e.g. that loadleak itself was late
 * @param connectionsOpened connections the client opened (keep-alive: about maxConnections; far more
 *                        means the target closes them, e.g. {@code Connection: close})
 * @param generator       loadleak's own peak RSS and CPU during the run (null in results of older versions)
 * @param shard           "I/N" when this is one shard of a run spread over N processes ({@code --shard}), else null
 * @param mergedFrom      the shard results this one was merged from ({@code loadleak merge}), else null
 */
public record RunResult(int schemaVersion, String status, String loadleakVersion, ScenarioInfo scenario,
                        String startedAt, double durationSeconds, long intendedRequests, Stats overall,
                        Map<String, Stats> requests, Map<String, Stats> phases, Stats.Summary sendLagMicros,
                        Map<String, String> errorSamples, List<TimelinePoint> timeline, List<MemorySeries> memory,
                        Map<String, List<double[]>> targetMetrics, List<CriterionResult> criteria, int score,
                        Verdict verdict, List<String> verdictReasons, List<String> warnings, long connectionsOpened,
                        Generator generator, String shard, List<String> mergedFrom) {

    public static final int SCHEMA_VERSION = 1;

    /** What was run: name, file, target base URL and phases. */
    public record ScenarioInfo(String name, String file, String target, List<PhaseInfo> phases,
                               List<String> requests) {
    }

    /**
     * @param model         e.g. "constant 200/s", "ramp 10/s to 200/s (poisson)", "closed 20 users, think 1s", "max 64 connections"
     * @param latencyLabel  "corrected" for open models; "corrected against the expected interval" otherwise
     */
    public record PhaseInfo(String name, double durationSeconds, String model, double ratePerSecond, boolean warmup,
                            String latencyLabel) {
    }

    /** The same run scored against other criteria (used by {@code loadleak score}). */
    public RunResult withScore(List<CriterionResult> newCriteria, int newScore, Verdict newVerdict,
                               List<String> reasons) {
        return new RunResult(schemaVersion, status, loadleakVersion, scenario, startedAt, durationSeconds,
                intendedRequests, overall, requests, phases, sendLagMicros, errorSamples, timeline, memory,
                targetMetrics, newCriteria, newScore, newVerdict, reasons, warnings, connectionsOpened, generator, shard,
                mergedFrom);
    }
}
