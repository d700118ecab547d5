package dev.loadleak.analysis;

import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.ErrorKind;
import dev.loadleak.engine.HttpEngine;
import dev.loadleak.engine.Shard;
import dev.loadleak.metrics.Stats;
import dev.loadleak.metrics.Totals;
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
                         String failure, Generator generator, Shard shard) {
    }

    public static RunResult assemble(Scenario scenario, EnginePlan plan, Totals totals, HttpEngine.Outcome outcome,
                                     Instant startedAt, Extras extras) {
        boolean completed = outcome.status() == HttpEngine.Status.COMPLETED && extras.failure() == null;
        double planned = plan.totalDurationNanos() / 1e9;
        double measured = (outcome.endNanos() - outcome.startNanos()) / 1e9;
        double duration = completed ? planned : Math.min(planned, measured);

        double[] phaseSeconds = new double[scenario.phases().size()];
        List<RunResult.PhaseInfo> phaseInfo = new ArrayList<>();
        Map<String, Stats> phases = new LinkedHashMap<>();
        double scoredSeconds = 0;
        for (int p = 0; p < phaseSeconds.length; p++) {
            Phase ph = scenario.phases().get(p);
            double start = plan.phases().get(p).startOffsetNanos() / 1e9;
            phaseSeconds[p] = completed ? ph.durationNanos() / 1e9
                    : Math.max(0, Math.min(ph.durationNanos() / 1e9, measured - start));
            phases.put(ph.name(), totals.phase(p, phaseSeconds[p]));
            if (!ph.warmup()) {
                scoredSeconds += phaseSeconds[p];
            }
            phaseInfo.add(new RunResult.PhaseInfo(ph.name(), ph.durationNanos() / 1e9, describe(ph.load()),
                    ph.intendedRateAt(0), ph.warmup(), plan.phases().get(p).open() ? "corrected"
                            : "corrected against the expected interval"));
        }
        IntPredicate scored = p -> !scenario.phases().get(p).warmup();
        Map<String, Stats> requests = new LinkedHashMap<>();
        for (int r = 0; r < scenario.requests().size(); r++) {
            requests.put(scenario.requests().get(r).name(), totals.request(r, scored, scoredSeconds));
        }
        Map<String, String> samples = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            String d = totals.firstErrorDetail()[k.ordinal()];
            if (d != null) {
                samples.put(k.label(), d);
            }
        }
        // like latency, send lag is over the scored phases (a warm-up phase absorbs the JVM's JIT warm-up)
        org.HdrHistogram.Histogram lagHistogram = totals.sendLag(scored);
        if (lagHistogram.getTotalCount() == 0) {
            lagHistogram = totals.sendLag(p -> true);
        }
        Stats.Summary lag = lagHistogram.getTotalCount() == 0 ? null : Stats.Summary.of(lagHistogram);
        String status = extras.failure() != null ? "failed" : completed ? "completed" : "interrupted";
        RunResult unscored = new RunResult(RunResult.SCHEMA_VERSION, status, extras.version(),
                new RunResult.ScenarioInfo(scenario.name(), scenario.source(), scenario.target().toString(), phaseInfo,
                        scenario.requests().stream().map(r -> r.name()).toList()),
                startedAt.toString(), Math.round(duration * 1000) / 1000.0, intended(plan, extras.shard()),
                totals.overall(scored, scoredSeconds), requests, phases, lag, samples, totals.timeline(),
                extras.memory(), extras.targetMetrics(), List.of(), 0, Verdict.NO_GO, List.of(), warnings(totals, outcome, extras.generator()),
                outcome.connectionsOpened(), extras.generator(),
                extras.shard() == null || extras.shard().whole() ? null : extras.shard().toString(), null);
        CriteriaEvaluator.Outcome o = CriteriaEvaluator.evaluate(scenario.criteria(), unscored);
        List<String> reasons = new ArrayList<>(o.reasons());
        if (extras.failure() != null) {
            reasons.add(0, "the run failed: " + extras.failure());
        } else if (!completed) {
            reasons.add(0, String.format(java.util.Locale.ROOT, "interrupted after %.1f of %.0f s: the figures cover that "
                    + "part only", measured, planned));
        }
        Verdict v = extras.failure() != null ? Verdict.NO_GO : o.verdict();
        return unscored.withScore(o.results(), o.score(), v, reasons);
    }

    /**
     * When more than 1 % of sends left over 10 ms late, the generator (CPU, connections, its own
     * JVM warm-up) was a bottleneck: the corrected latency then includes that wait, and the user
     * must know it was not the target's doing.
     */
    /** Requests the open phases were to send: for a shard, its share of each phase's arrivals. */
    static long intended(EnginePlan plan, Shard shard) {
        if (shard == null || shard.whole()) {
            return plan.expectedOpenRequests();
        }
        return plan.phases().stream().filter(EnginePlan.PhasePlan::open)
                .mapToLong(p -> shard.share(p.schedule().expectedCount())).sum();
    }

    static List<String> warnings(Totals totals, HttpEngine.Outcome outcome, Generator g) {
        List<String> w = new ArrayList<>();
        if (g != null && g.cpuShare() > Generator.SATURATED_SHARE) {
            w.add(String.format(Locale.ROOT, "loadleak used %.0f %% of this machine's CPU (%.1f CPU-seconds on %d cores): "
                    + "the generator was likely a bottleneck, and the throughput is a limit of this machine, not only of "
                    + "the target; run it on another machine or with --shard across several", g.cpuShare() * 100,
                    g.cpuSeconds(), g.cores()));
        }
        long late = 0;
        long sent = 0;
        for (int c = 0; c < totals.sent().length; c++) {
            late += totals.lateSends()[c];
            sent += totals.sent()[c];
        }
        if (sent > 0 && late > 0.01 * sent) {
            w.add(String.format(Locale.ROOT, "loadleak itself was late: %d of %d sends (%.1f %%) left more than 10 ms after "
                    + "their intended time, so the generator, not only the target, was a bottleneck then (busy CPU, every "
                    + "connection in use, or the JVM warming up: add a warm-up phase or raise maxConnections); the "
                    + "corrected latency includes that wait", late, sent, 100.0 * late / sent));
        }
        if (outcome.abandonedInFlight() > 0) {
            w.add(outcome.abandonedInFlight() + " requests were still in flight when the run ended and are not counted");
        }
        return w;
    }

    static String describe(Phase.Load load) {
        if (load instanceof Phase.ConstantRate c) {
            return String.format(Locale.ROOT, "constant %s/s%s", num(c.perSecond()), c.poisson() ? " (poisson)" : "");
        }
        if (load instanceof Phase.Ramp r) {
            return String.format(Locale.ROOT, "ramp %s/s to %s/s%s", num(r.from()), num(r.to()), r.poisson() ? " (poisson)" : "");
        }
        if (load instanceof Phase.Closed c) {
            return "closed " + c.users() + " users, think " + c.thinkNanos() / 1_000_000 + " ms";
        }
        return "max " + ((Phase.Max) load).connections() + " connections";
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
