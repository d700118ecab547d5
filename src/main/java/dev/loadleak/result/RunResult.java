package dev.loadleak.result;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import java.util.Map;

/**
 * Everything one run produced; every report is rendered from this alone, and it is what
 * {@code result.json} holds. Field names are a contract documented in docs/result-json.md: bump
 * {@link #SCHEMA_VERSION} on a breaking change. Built by name with {@link #builder()}.
 *
 * <p>The parts are nested records by concern, and the JSON is flat: each part is unwrapped into the
 * one object (so results written before the parts existed read back unchanged). A part's component
 * names are therefore JSON names, and no part may share a name with another part's field.
 *
 * @param status       how the run ended (written {@code completed}, {@code interrupted} or {@code failed})
 * @param provenance   what was run, when, by which loadleak, on which shard
 * @param load         what the load did: requests, latency, errors, the per-second timeline
 * @param targetMemory what the target's memory did, and the evidence of what it kept
 * @param scoring      the criteria, the score and the verdict
 * @param userFlows    per user flow, and the setup and teardown steps
 * @param warnings     what the user must know to read the figures, e.g. that loadleak itself was late
 * @param failure      why a {@code failed} run could not go on, in one line; else null
 */
public record RunResult(int schemaVersion, RunStatus status, @JsonUnwrapped Provenance provenance,
                        @JsonUnwrapped Load load, @JsonUnwrapped TargetMemory targetMemory,
                        @JsonUnwrapped Scoring scoring, @JsonUnwrapped UserFlows userFlows, List<String> warnings,
                        String failure) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * @param generator  loadleak's own peak RSS and CPU during the run (null in results of older versions)
     * @param shard      which part of a run spread over N processes this is ({@code --shard}; written
     *                   "I/N"), else null
     * @param mergedFrom the shard results this one was merged from ({@code loadleak merge}), else null
     */
    public record Provenance(String loadleakVersion, ScenarioInfo scenario, String startedAt, Shard shard,
                             List<String> mergedFrom, Generator generator) {
    }

    /**
     * @param durationSeconds   the run's duration: planned for a completed run, measured for an interrupted one
     * @param overall           all requests of the scored (non-warm-up) phases
     * @param requests          per request, scored phases only
     * @param phases            per phase, warm-up phases included
     * @param sendLagMicros     how late requests left compared with their intended time, over the scored
     *                          (non-warm-up) phases, or all phases when every phase is a warm-up
     * @param errorSamples      the first message seen for each error kind, e.g. "Connection refused"
     * @param connectionsOpened connections the client opened (keep-alive: about maxConnections; far more
     *                          means the target closes them, e.g. {@code Connection: close})
     */
    public record Load(double durationSeconds, long intendedRequests, Stats overall, Map<String, Stats> requests,
                       Map<String, Stats> phases, Stats.Summary sendLagMicros, Map<String, String> errorSamples,
                       List<TimelinePoint> timeline, long connectionsOpened) {
    }

    /**
     * @param memory        one entry per memory source: samples, gaps, floor and leak analysis
     * @param targetMetrics series of scraped target metrics named by criteria: name to [[seconds, value]]
     * @param classGrowth   what grew in JVM targets' heaps, by class ({@code evidence: classHistogram}); else null
     * @param forcedGc      what targets made to collect really kept ({@code forceGc}), with each collection's
     *                      pause and, with {@code evidence: heapSnapshot}, what grew and who holds it; else null
     */
    public record TargetMemory(List<MemorySeries> memory, Map<String, List<double[]>> targetMetrics,
                               List<ClassGrowth> classGrowth, List<ForcedGcResult> forcedGc) {
    }

    /** @param criteria every criterion with its actual value and outcome */
    public record Scoring(List<CriterionResult> criteria, int score, Verdict verdict, List<String> verdictReasons) {
    }

    /**
     * @param flows per user flow: iterations and their duration (scenarios with {@code flows:}); else null
     * @param setup the setup and teardown steps and how each went; else null
     */
    public record UserFlows(Map<String, FlowResult> flows, List<FlowResult.SetupStep> setup) {
    }

    /** What was run: name, file, target base URL and phases. */
    public record ScenarioInfo(String name, String file, String target, List<PhaseInfo> phases,
                               List<String> requests) {
        /** The planned duration of every phase together. */
        public double plannedSeconds() {
            return phases == null ? 0 : phases.stream().mapToDouble(PhaseInfo::durationSeconds).sum();
        }
    }

    /**
     * @param model         e.g. "constant 200/s", "ramp 10/s to 200/s (poisson)", "closed 20 users, think 1s", "max 64 connections"
     * @param latencyLabel  "corrected" for open models; "corrected against the expected interval" otherwise
     */
    public record PhaseInfo(String name, double durationSeconds, String model, double ratePerSecond, boolean warmup,
                            String latencyLabel) {
    }

    public static RunResultBuilder builder() {
        return new RunResultBuilder();
    }

    /** A builder holding every field of this result, to change some of them. */
    public RunResultBuilder toBuilder() {
        return RunResultBuilder.from(this);
    }

    /** The same run scored against other criteria. */
    public RunResult withScore(List<CriterionResult> newCriteria, int newScore, Verdict newVerdict,
                               List<String> reasons) {
        return new RunResult(schemaVersion, status, provenance, load, targetMemory,
                new Scoring(newCriteria, newScore, newVerdict, reasons), userFlows, warnings, failure);
    }
}
