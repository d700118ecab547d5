package dev.loadleak.analysis;

import dev.loadleak.engine.Shard;
import dev.loadleak.metrics.Stats;
import dev.loadleak.metrics.TimelinePoint;
import java.util.List;
import java.util.Map;

/**
 * Everything one run produced; every report is rendered from this alone, and it is what
 * {@code result.json} holds. Field names are a contract documented in the README: bump
 * {@link #SCHEMA_VERSION} on a breaking change. Built by name with {@link #builder()}.
 *
 * @param status          how the run ended (written {@code completed}, {@code interrupted} or {@code failed})
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
 * @param shard           which part of a run spread over N processes this is ({@code --shard}; written
 *                        "I/N"), else null
 * @param mergedFrom      the shard results this one was merged from ({@code loadleak merge}), else null
 * @param failure         why a {@code failed} run could not go on, in one line; else null
 * @param classGrowth     what grew in JVM targets' heaps, by class ({@code evidence: classHistogram}); else null
 * @param flows           per user flow: iterations and their duration (scenarios with {@code flows:}); else null
 * @param setup           the setup and teardown steps and how each went; else null
 * @param forcedGc        what targets made to collect really kept ({@code forceGc}), with each collection's
 *                        pause and, with {@code evidence: heapSnapshot}, what grew and who holds it; else null
 */
public record RunResult(int schemaVersion, RunStatus status, String loadleakVersion, ScenarioInfo scenario, String
                        startedAt, double durationSeconds, long intendedRequests, Stats overall,
                        Map<String, Stats> requests, Map<String, Stats> phases, Stats.Summary
                        sendLagMicros, Map<String, String> errorSamples, List<TimelinePoint>
                        timeline, List<MemorySeries> memory, Map<String, List<double[]>>
                        targetMetrics, List<CriterionResult> criteria, int score, Verdict verdict,
                        List<String> verdictReasons, List<String> warnings, long connectionsOpened,
                        Generator generator, Shard shard, List<String> mergedFrom, String failure,
                        List<ClassGrowth> classGrowth, Map<String, FlowResult> flows,
                        List<FlowResult.SetupStep> setup, List<ExactRetention.Result> forcedGc) {

    public static final int SCHEMA_VERSION = 1;

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

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this result, to change some of them. */
    public Builder toBuilder() {
        return Builder.from(this);
    }

    /** The same run scored against other criteria. */
    public RunResult withScore(List<CriterionResult> newCriteria, int newScore, Verdict newVerdict,
                               List<String> reasons) {
        return toBuilder().criteria(newCriteria).score(newScore).verdict(newVerdict).verdictReasons(reasons).build();
    }

    /** Builds a result by field name; unset lists and maps are empty, the verdict NO_GO until scored. */
    public static final class Builder {
        private int schemaVersion = SCHEMA_VERSION;
        private RunStatus status = RunStatus.COMPLETED;
        private String loadleakVersion;
        private ScenarioInfo scenario;
        private String startedAt;
        private double durationSeconds;
        private long intendedRequests;
        private Stats overall;
        private Map<String, Stats> requests = Map.of();
        private Map<String, Stats> phases = Map.of();
        private Stats.Summary sendLagMicros;
        private Map<String, String> errorSamples = Map.of();
        private List<TimelinePoint> timeline;
        private List<MemorySeries> memory;
        private Map<String, List<double[]>> targetMetrics;
        private List<CriterionResult> criteria = List.of();
        private int score;
        private Verdict verdict = Verdict.NO_GO;
        private List<String> verdictReasons = List.of();
        private List<String> warnings = List.of();
        private long connectionsOpened;
        private Generator generator;
        private Shard shard;
        private List<String> mergedFrom;
        private String failure;
        private List<ClassGrowth> classGrowth;
        private Map<String, FlowResult> flows;
        private List<FlowResult.SetupStep> setup;
        private List<ExactRetention.Result> forcedGc;

        private Builder() {
        }

        static Builder from(RunResult r) {
            Builder b = new Builder();
            b.schemaVersion = r.schemaVersion;
            b.status = r.status;
            b.loadleakVersion = r.loadleakVersion;
            b.scenario = r.scenario;
            b.startedAt = r.startedAt;
            b.durationSeconds = r.durationSeconds;
            b.intendedRequests = r.intendedRequests;
            b.overall = r.overall;
            b.requests = r.requests;
            b.phases = r.phases;
            b.sendLagMicros = r.sendLagMicros;
            b.errorSamples = r.errorSamples;
            b.timeline = r.timeline;
            b.memory = r.memory;
            b.targetMetrics = r.targetMetrics;
            b.criteria = r.criteria;
            b.score = r.score;
            b.verdict = r.verdict;
            b.verdictReasons = r.verdictReasons;
            b.warnings = r.warnings;
            b.connectionsOpened = r.connectionsOpened;
            b.generator = r.generator;
            b.shard = r.shard;
            b.mergedFrom = r.mergedFrom;
            b.failure = r.failure;
            b.classGrowth = r.classGrowth;
            b.flows = r.flows;
            b.setup = r.setup;
            b.forcedGc = r.forcedGc;
            return b;
        }

        public Builder schemaVersion(int v) {
            this.schemaVersion = v;
            return this;
        }

        public Builder status(RunStatus v) {
            this.status = v;
            return this;
        }

        public Builder loadleakVersion(String v) {
            this.loadleakVersion = v;
            return this;
        }

        public Builder scenario(ScenarioInfo v) {
            this.scenario = v;
            return this;
        }

        public Builder startedAt(String v) {
            this.startedAt = v;
            return this;
        }

        public Builder durationSeconds(double v) {
            this.durationSeconds = v;
            return this;
        }

        public Builder intendedRequests(long v) {
            this.intendedRequests = v;
            return this;
        }

        public Builder overall(Stats v) {
            this.overall = v;
            return this;
        }

        public Builder requests(Map<String, Stats> v) {
            this.requests = v;
            return this;
        }

        public Builder phases(Map<String, Stats> v) {
            this.phases = v;
            return this;
        }

        public Builder sendLagMicros(Stats.Summary v) {
            this.sendLagMicros = v;
            return this;
        }

        public Builder errorSamples(Map<String, String> v) {
            this.errorSamples = v;
            return this;
        }

        public Builder timeline(List<TimelinePoint> v) {
            this.timeline = v;
            return this;
        }

        public Builder memory(List<MemorySeries> v) {
            this.memory = v;
            return this;
        }

        public Builder targetMetrics(Map<String, List<double[]>> v) {
            this.targetMetrics = v;
            return this;
        }

        public Builder criteria(List<CriterionResult> v) {
            this.criteria = v;
            return this;
        }

        public Builder score(int v) {
            this.score = v;
            return this;
        }

        public Builder verdict(Verdict v) {
            this.verdict = v;
            return this;
        }

        public Builder verdictReasons(List<String> v) {
            this.verdictReasons = v;
            return this;
        }

        public Builder warnings(List<String> v) {
            this.warnings = v;
            return this;
        }

        public Builder connectionsOpened(long v) {
            this.connectionsOpened = v;
            return this;
        }

        public Builder generator(Generator v) {
            this.generator = v;
            return this;
        }

        public Builder shard(Shard v) {
            this.shard = v;
            return this;
        }

        public Builder mergedFrom(List<String> v) {
            this.mergedFrom = v;
            return this;
        }

        public Builder failure(String v) {
            this.failure = v;
            return this;
        }

        public Builder classGrowth(List<ClassGrowth> v) {
            this.classGrowth = v;
            return this;
        }

        public Builder flows(Map<String, FlowResult> v) {
            this.flows = v;
            return this;
        }

        public Builder setup(List<FlowResult.SetupStep> v) {
            this.setup = v;
            return this;
        }

        public Builder forcedGc(List<ExactRetention.Result> v) {
            this.forcedGc = v;
            return this;
        }

        public RunResult build() {
            return new RunResult(schemaVersion, status, loadleakVersion, scenario, startedAt, durationSeconds, intendedRequests,
                    overall, requests, phases, sendLagMicros, errorSamples, timeline, memory,
                    targetMetrics, criteria, score, verdict, verdictReasons, warnings,
                    connectionsOpened, generator, shard, mergedFrom, failure, classGrowth, flows, setup, forcedGc);
        }
    }
}
