package dev.loadleak.analysis;

import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.IterationEnd;
import dev.loadleak.engine.RealtimeEvent;
import dev.loadleak.engine.load.PhasePlan;
import dev.loadleak.metrics.FlowCounts;
import dev.loadleak.metrics.Totals;
import dev.loadleak.result.ClassGrowth;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.Generator;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Shard;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.Flow;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/** Builds the {@link RunResult} of a run from what the metrics stage collected, and scores it. */
public final class ResultAssembler {
    private ResultAssembler() {
    }

    /** What was measured besides requests. */
    public record Extras(String version, List<MemorySeries> memory, Map<String, List<double[]>> targetMetrics,
                         Generator generator, Shard shard, List<ClassGrowth> classGrowth) {
        public Extras(String version, List<MemorySeries> memory, Map<String, List<double[]>> targetMetrics,
                      Generator generator, Shard shard) {
            this(version, memory, targetMetrics, generator, shard, null);
        }
    }

    public static RunResult assemble(Scenario scenario, EnginePlan plan, Totals totals, LoadOutcome outcome,
                                     Instant startedAt, Extras extras) {
        boolean completed = outcome.status() == RunStatus.COMPLETED;
        double planned = plan.totalDurationNanos() / 1e9;
        double duration = completed ? planned : Math.min(planned, outcome.measuredSeconds());
        double[] phaseSeconds = plan.phaseSeconds(completed, outcome.measuredSeconds());
        List<RunResult.PhaseInfo> phaseInfo = new ArrayList<>();
        Map<String, Stats> phases = new LinkedHashMap<>();
        double scoredSeconds = 0;
        for (int p = 0; p < phaseSeconds.length; p++) {
            PhasePlan pp = plan.phases().get(p);
            Phase ph = pp.source();
            phases.put(ph.name(), totals.phase(p, phaseSeconds[p]));
            if (!ph.warmup()) {
                scoredSeconds += phaseSeconds[p];
            }
            phaseInfo.add(new RunResult.PhaseInfo(ph.name(), ph.durationNanos() / 1e9, ph.load().describe(),
                    ph.intendedRateAt(0), ph.warmup(), pp.open() ? "corrected" : "corrected against the expected interval"));
        }
        IntPredicate scored = p -> !plan.phases().get(p).warmup();
        Map<String, Stats> requests = new LinkedHashMap<>();
        for (int r = 0; r < scenario.requests().size(); r++) {
            requests.put(scenario.requests().get(r).name(), totals.request(r, scored, scoredSeconds));
        }
        Stats overall = totals.overall(scored, scoredSeconds);
        Map<String, FlowResult> flows = flows(scenario, totals, scored, scoredSeconds);
        RunResult unscored = RunResult.builder().status(outcome.status()).loadleakVersion(extras.version())
                .scenario(new RunResult.ScenarioInfo(scenario.name(), scenario.source(), scenario.target().toString(),
                        phaseInfo, scenario.requests().stream().map(r -> r.name()).toList()))
                .startedAt(startedAt.toString()).durationSeconds(Math.round(duration * 1000) / 1000.0)
                .intendedRequests(intended(plan, extras.shard())).overall(overall)
                .requests(requests).phases(phases).sendLagMicros(sendLag(totals, scored))
                .errorSamples(errorSamples(totals)).timeline(totals.timeline())
                .memory(memory(extras.memory(), overall, plan, flows, scoredSeconds))
                .targetMetrics(extras.targetMetrics()).warnings(warnings(overall, outcome, extras.generator(), extras.memory()))
                .connectionsOpened(outcome.connectionsOpened()).generator(extras.generator())
                .shard(extras.shard() == null || extras.shard().whole() ? null : extras.shard())
                .failure(outcome.failure())
                .classGrowth(extras.classGrowth() == null || extras.classGrowth().isEmpty() ? null : extras.classGrowth())
                .flows(flows)
                .build();
        return Scoring.score(unscored, scenario.criteria());
    }

    /** Per flow, over the scored phases: iterations by outcome, skipped steps, iteration duration. */
    static Map<String, FlowResult> flows(Scenario scenario, Totals totals, IntPredicate scored, double scoredSeconds) {
        FlowCounts.Snapshot s = totals.flows();
        if (s == null || !scenario.flows().hasFlows()) {
            return null;
        }
        Map<String, FlowResult> out = new LinkedHashMap<>();
        int request = 0;
        for (int f = 0; f < scenario.flows().flows().size(); f++) {
            Flow flow = scenario.flows().flows().get(f);
            long started = 0;
            long completed = 0;
            long failed = 0;
            long aborted = 0;
            org.HdrHistogram.Histogram c = null;
            org.HdrHistogram.Histogram u = null;
            for (int p = 0; p < s.phases(); p++) {
                if (!scored.test(p)) {
                    continue;
                }
                started += s.started(p, f);
                completed += s.ended(p, f, IterationEnd.COMPLETED);
                failed += s.ended(p, f, IterationEnd.FAILED);
                aborted += s.ended(p, f, IterationEnd.ABORTED);
                c = c == null ? s.corrected(p, f).copy() : add(c, s.corrected(p, f));
                u = u == null ? s.uncorrected(p, f).copy() : add(u, s.uncorrected(p, f));
            }
            Map<String, Long> skippedByStep = new LinkedHashMap<>();
            long skipped = 0;
            for (Flow.Step step : flow.steps()) {
                long n = 0;
                for (int p = 0; p < s.phases(); p++) {
                    n += scored.test(p) ? s.skipped(p, request) : 0;
                }
                if (n > 0) {
                    skippedByStep.put(step.name(), n);
                }
                skipped += n;
                request++;
            }
            boolean any = c != null && c.getTotalCount() > 0;
            out.put(flow.name(), new FlowResult(flow.name(), flow.weight(),
                    flow.steps().stream().map(Flow.Step::name).toList(), started, completed, failed, aborted,
                    FlowResult.failureRate(completed, failed), skipped, skippedByStep,
                    any ? new Stats.Latency(Stats.Summary.of(c), Stats.Summary.of(u)) : null,
                    c == null ? null : new Stats.Histograms(Stats.encode(c), Stats.encode(u), null),
                    realtime(flow, f, s, scored, scoredSeconds)));
        }
        return out;
    }

    /** What flow {@code f}'s real-time connections did over the scored phases; null when it has no real-time step. */
    private static FlowResult.Realtime realtime(Flow flow, int f, FlowCounts.Snapshot s, IntPredicate scored,
                                                double seconds) {
        if (flow.steps().stream().noneMatch(step -> step.realtime() != null)) {
            return null;
        }
        long[] n = new long[RealtimeEvent.values().length];
        for (int p = 0; p < s.phases(); p++) {
            for (RealtimeEvent e : RealtimeEvent.values()) {
                n[e.ordinal()] += scored.test(p) ? s.realtime(p, f, e) : 0;
            }
        }
        return FlowResult.Realtime.of(n[RealtimeEvent.OPENED.ordinal()], n[RealtimeEvent.REUSED.ordinal()],
                n[RealtimeEvent.CLOSED.ordinal()], n[RealtimeEvent.LOST.ordinal()],
                n[RealtimeEvent.MESSAGE_SENT.ordinal()], n[RealtimeEvent.MESSAGE_RECEIVED.ordinal()],
                n[RealtimeEvent.HEARTBEAT.ordinal()], n[RealtimeEvent.DISCARDED.ordinal()], seconds);
    }

    private static org.HdrHistogram.Histogram add(org.HdrHistogram.Histogram into, org.HdrHistogram.Histogram h) {
        into.add(h);
        return into;
    }

    /**
     * Each series' growth per completed request of the scored phases: the floor's slope (bytes/s)
     * ÷ the completed requests per second, interval likewise (the throughput is counted, not
     * estimated); and its growth timeline over the plan's phases.
     */
    static List<MemorySeries> memory(List<MemorySeries> memory, Stats overall, EnginePlan plan) {
        return memory(memory, overall, plan, null, 0);
    }

    /**
     * As above; with flows, the growth is per iteration that ended (completed or failed) rather
     * than per request: what one user's pass through its flow leaves behind.
     */
    static List<MemorySeries> memory(List<MemorySeries> memory, Stats overall, EnginePlan plan,
                                     Map<String, FlowResult> flows, double scoredSeconds) {
        if (memory == null) {
            return null;
        }
        double perSecond = overall.throughputPerSecond();
        String per = "request";
        if (flows != null && !flows.isEmpty() && scoredSeconds > 0) {
            perSecond = flows.values().stream().mapToLong(f -> f.completed() + f.failed()).sum() / scoredSeconds;
            per = "iteration";
        }
        List<GrowthTimeline.Window> windows = plan.phases().stream().map(p -> new GrowthTimeline.Window(p.name(),
                p.startOffsetNanos() / 1e9, p.endOffsetNanos() / 1e9, p.warmup())).toList();
        List<MemorySeries> out = new ArrayList<>();
        for (MemorySeries m : memory) {
            LeakAnalysis a = m.analysis();
            double[] ci = MemoryGrowth.interval(a);
            out.add(m.with(ci == null ? null : LeakDetector.retained(a.growthMBPerHour(), ci, perSecond, per),
                    GrowthTimeline.of(a, windows)));
        }
        return out;
    }

    private static Map<String, String> errorSamples(Totals totals) {
        Map<String, String> samples = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            String d = totals.firstErrorDetail()[k.ordinal()];
            if (d != null) {
                samples.put(k.label(), d);
            }
        }
        return samples;
    }

    /** Like latency, send lag is over the scored phases (a warm-up phase absorbs the JVM's JIT warm-up). */
    private static Stats.Summary sendLag(Totals totals, IntPredicate scored) {
        org.HdrHistogram.Histogram lag = totals.sendLag(scored);
        if (lag.getTotalCount() == 0) {
            lag = totals.sendLag(p -> true);
        }
        return lag.getTotalCount() == 0 ? null : Stats.Summary.of(lag);
    }

    /** Requests the open phases were to send: for a shard, its share of each phase's arrivals. */
    static long intended(EnginePlan plan, Shard shard) {
        if (shard == null || shard.whole()) {
            return plan.expectedOpenRequests();
        }
        return plan.phases().stream().filter(PhasePlan::open)
                .mapToLong(p -> shard.share(p.schedule().expectedCount())).sum();
    }

    /** The cause of late sends that the figures show: busy connections, a saturated CPU, or neither (warm-up, pauses). */
    static String lateCause(long late, LoadOutcome outcome, Generator g) {
        long busy = Math.min(late, outcome.lateWhileBusy());
        if (busy >= late / 2.0) {
            return String.format(Locale.ROOT, "%d of them were due while every one of the %d connections was busy: the "
                    + "target answered too slowly for that many connections; raise maxConnections", busy,
                    outcome.maxConnections());
        }
        if (g != null && g.cpuShare() > Generator.SATURATED_SHARE) {
            return String.format(Locale.ROOT, "loadleak's own CPU was saturated (%.0f %% of %d cores; %d of the late sends "
                    + "waited for a connection): shard the load or use a bigger machine", g.cpuShare() * 100, g.cores(),
                    busy);
        }
        return String.format(Locale.ROOT, "neither busy connections (%d of them waited for one) nor loadleak's CPU (%.0f %% of "
                + "the machine) explain it: most likely the JVM warming up or a pause of this machine; add a warm-up "
                + "phase (warmup: true)", busy, g == null ? 0 : g.cpuShare() * 100);
    }

    /**
     * Growth outside the managed heap: a resident-memory series (a {@code process} source, or one
     * named rss/resident) that leaks while a heap series (named heap) of the same run does not grow
     * as much — native memory, buffers or threads, which a heap dump will not show.
     */
    static String outsideTheHeap(List<MemorySeries> memory) {
        if (memory == null) {
            return null;
        }
        for (MemorySeries rss : memory) {
            LeakAnalysis r = rss.analysis();
            boolean isRss = rss.kind() == MemoryKind.PROCESS || rss.source().toLowerCase(Locale.ROOT).matches(".*(rss|resident).*");
            if (!isRss || r == null || !LeakFinding.LEAK.equals(r.verdict())) {
                continue;
            }
            for (MemorySeries heap : memory) {
                double[] ci = MemoryGrowth.interval(heap.analysis());
                if (heap != rss && heap.source().toLowerCase(Locale.ROOT).contains("heap") && ci != null
                        && ci[1] < r.ci95MBPerHour()[0]) {
                    return String.format(Locale.ROOT, "growth is outside the managed heap (native memory, buffers, "
                            + "threads): %s grew %.1f MB/h (95 %% CI %.1f–%.1f) while %s grew %.1f MB/h (95 %% CI "
                            + "%.1f–%.1f); a heap dump will not show it", rss.source(), r.slopeMBPerHour(),
                            r.ci95MBPerHour()[0], r.ci95MBPerHour()[1], heap.source(), heap.analysis().growthMBPerHour(),
                            ci[0], ci[1]);
                }
            }
        }
        return null;
    }

    /**
     * What the reader must know to read the figures: growth outside the managed heap, loadleak's CPU
     * saturated, or more than 1 % of sends over 10 ms late (CPU, connections, its own JVM warm-up), so
     * that the corrected latency includes a wait that was not the target's doing; requests abandoned
     * at the end.
     */
    static List<String> warnings(Stats overall, LoadOutcome outcome, Generator g, List<MemorySeries> memory) {
        List<String> w = new ArrayList<>();
        String outside = outsideTheHeap(memory);
        if (outside != null) {
            w.add(outside);
        }
        if (g != null && g.cpuShare() > Generator.SATURATED_SHARE) {
            w.add(String.format(Locale.ROOT, "loadleak used %.0f %% of this machine's CPU (%.1f CPU-seconds on %d cores): "
                    + "the generator was likely a bottleneck, and the throughput is a limit of this machine, not only of "
                    + "the target; run it on another machine or with --shard across several", g.cpuShare() * 100,
                    g.cpuSeconds(), g.cores()));
        }
        // the figure of the summary's "late sends" line: the scored phases
        long late = overall.lateSends();
        long sent = overall.sent();
        if (sent > 0 && late > 0.01 * sent) {
            w.add(String.format(Locale.ROOT, "loadleak itself was late: %d of the %d sends of the scored phases (%.1f %%) "
                    + "left more than 10 ms after their intended time, so the corrected latency includes a wait that was "
                    + "not only the target's; %s", late, sent, 100.0 * late / sent, lateCause(late, outcome, g)));
        }
        if (outcome.abandonedInFlight() > 0) {
            w.add(outcome.abandonedInFlight() + " requests were still in flight when the run ended and are not counted");
        }
        return w;
    }
}
