package dev.loadleak.result;

import java.util.List;
import java.util.Map;

/**
 * Builds a {@link RunResult} by field name, as result.json names them; unset lists and maps are empty, the
 * verdict NO_GO until scored.
 */
public final class RunResultBuilder {
    private int schemaVersion = RunResult.SCHEMA_VERSION;
    private RunStatus status = RunStatus.COMPLETED;
    private String loadleakVersion;
    private RunResult.ScenarioInfo scenario;
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
    private List<ForcedGcResult> forcedGc;

    RunResultBuilder() {
    }

    static RunResultBuilder from(RunResult r) {
        RunResultBuilder b = new RunResultBuilder();
        b.schemaVersion = r.schemaVersion();
        b.status = r.status();
        b.loadleakVersion = r.provenance().loadleakVersion();
        b.scenario = r.provenance().scenario();
        b.startedAt = r.provenance().startedAt();
        b.durationSeconds = r.load().durationSeconds();
        b.intendedRequests = r.load().intendedRequests();
        b.overall = r.load().overall();
        b.requests = r.load().requests();
        b.phases = r.load().phases();
        b.sendLagMicros = r.load().sendLagMicros();
        b.errorSamples = r.load().errorSamples();
        b.timeline = r.load().timeline();
        b.memory = r.targetMemory().memory();
        b.targetMetrics = r.targetMemory().targetMetrics();
        b.criteria = r.scoring().criteria();
        b.score = r.scoring().score();
        b.verdict = r.scoring().verdict();
        b.verdictReasons = r.scoring().verdictReasons();
        b.warnings = r.warnings();
        b.connectionsOpened = r.load().connectionsOpened();
        b.generator = r.provenance().generator();
        b.shard = r.provenance().shard();
        b.mergedFrom = r.provenance().mergedFrom();
        b.failure = r.failure();
        b.classGrowth = r.targetMemory().classGrowth();
        b.flows = r.userFlows().flows();
        b.setup = r.userFlows().setup();
        b.forcedGc = r.targetMemory().forcedGc();
        return b;
    }

    public RunResultBuilder schemaVersion(int v) {
        this.schemaVersion = v;
        return this;
    }

    public RunResultBuilder status(RunStatus v) {
        this.status = v;
        return this;
    }

    public RunResultBuilder loadleakVersion(String v) {
        this.loadleakVersion = v;
        return this;
    }

    public RunResultBuilder scenario(RunResult.ScenarioInfo v) {
        this.scenario = v;
        return this;
    }

    public RunResultBuilder startedAt(String v) {
        this.startedAt = v;
        return this;
    }

    public RunResultBuilder durationSeconds(double v) {
        this.durationSeconds = v;
        return this;
    }

    public RunResultBuilder intendedRequests(long v) {
        this.intendedRequests = v;
        return this;
    }

    public RunResultBuilder overall(Stats v) {
        this.overall = v;
        return this;
    }

    public RunResultBuilder requests(Map<String, Stats> v) {
        this.requests = v;
        return this;
    }

    public RunResultBuilder phases(Map<String, Stats> v) {
        this.phases = v;
        return this;
    }

    public RunResultBuilder sendLagMicros(Stats.Summary v) {
        this.sendLagMicros = v;
        return this;
    }

    public RunResultBuilder errorSamples(Map<String, String> v) {
        this.errorSamples = v;
        return this;
    }

    public RunResultBuilder timeline(List<TimelinePoint> v) {
        this.timeline = v;
        return this;
    }

    public RunResultBuilder memory(List<MemorySeries> v) {
        this.memory = v;
        return this;
    }

    public RunResultBuilder targetMetrics(Map<String, List<double[]>> v) {
        this.targetMetrics = v;
        return this;
    }

    public RunResultBuilder criteria(List<CriterionResult> v) {
        this.criteria = v;
        return this;
    }

    public RunResultBuilder score(int v) {
        this.score = v;
        return this;
    }

    public RunResultBuilder verdict(Verdict v) {
        this.verdict = v;
        return this;
    }

    public RunResultBuilder verdictReasons(List<String> v) {
        this.verdictReasons = v;
        return this;
    }

    public RunResultBuilder warnings(List<String> v) {
        this.warnings = v;
        return this;
    }

    public RunResultBuilder connectionsOpened(long v) {
        this.connectionsOpened = v;
        return this;
    }

    public RunResultBuilder generator(Generator v) {
        this.generator = v;
        return this;
    }

    public RunResultBuilder shard(Shard v) {
        this.shard = v;
        return this;
    }

    public RunResultBuilder mergedFrom(List<String> v) {
        this.mergedFrom = v;
        return this;
    }

    public RunResultBuilder failure(String v) {
        this.failure = v;
        return this;
    }

    public RunResultBuilder classGrowth(List<ClassGrowth> v) {
        this.classGrowth = v;
        return this;
    }

    public RunResultBuilder flows(Map<String, FlowResult> v) {
        this.flows = v;
        return this;
    }

    public RunResultBuilder setup(List<FlowResult.SetupStep> v) {
        this.setup = v;
        return this;
    }

    public RunResultBuilder forcedGc(List<ForcedGcResult> v) {
        this.forcedGc = v;
        return this;
    }

    public RunResult build() {
        return new RunResult(schemaVersion, status,
                new RunResult.Provenance(loadleakVersion, scenario, startedAt, shard, mergedFrom, generator),
                new RunResult.Load(durationSeconds, intendedRequests, overall, requests, phases, sendLagMicros,
                        errorSamples, timeline, connectionsOpened),
                new RunResult.TargetMemory(memory, targetMetrics, classGrowth, forcedGc),
                new RunResult.Scoring(criteria, score, verdict, verdictReasons),
                new RunResult.UserFlows(flows, setup), warnings, failure);
    }
}
