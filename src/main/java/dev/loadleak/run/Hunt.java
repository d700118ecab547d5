package dev.loadleak.run;

import dev.loadleak.analysis.HuntResult;
import dev.loadleak.result.ForcedGcResult;
import dev.loadleak.result.HeapGrowth;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.scenario.Flow;
import dev.loadleak.scenario.MemoryConfig;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.RequestSpec;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Which endpoint leaks: runs a scenario's requests one at a time, each alone at the same rate for a
 * bounded segment (after a short warm-up phase that the leak analysis leaves out), waits between
 * segments for the target's floor to settle, and ranks the requests by the bytes their target
 * retains per request. Each segment is an ordinary {@link RunSession} with a result of its own.
 */
public final class Hunt {
    /**
     * @param segmentNanos   each segment's scored part
     * @param warmupNanos    each segment's warm-up phase before it
     * @param settleNanos    the pause between segments
     */
    public record Settings(Path outDir, String version, int eventLoops, double ratePerSecond, long segmentNanos,
                           long warmupNanos, long settleNanos, Integer signalExitCode) {
    }

    private Hunt() {
    }

    /**
     * @param progress told one line per segment as it starts and ends
     * @param segmentListener watches each segment's run (its live line)
     */
    public static HuntResult run(Scenario s, Settings st, Vertx vertx, Consumer<String> progress,
                                 RunListener segmentListener) {
        MemoryConfig mc = s.memory();
        List<HuntResult.Suspect> suspects = new ArrayList<>();
        // with flows, each flow is a suspect (its steps need each other's values); else each request
        List<String> names = s.flows().hasFlows() ? s.flows().flows().stream().map(Flow::name).toList()
                : s.requests().stream().map(RequestSpec::name).toList();
        String unit = s.flows().hasFlows() ? "iterations" : "requests";
        for (int i = 1; i <= names.size(); i++) {
            String name = names.get(i - 1);
            if (i > 1) {
                settle(st.settleNanos());
            }
            progress.accept(String.format(Locale.ROOT, "segment %d/%d: %s alone at %s %s/s for %.0f s", i,
                    names.size(), name, num(st.ratePerSecond()), unit, st.segmentNanos() / 1e9));
            Path dir = st.outDir().resolve("segments").resolve(i + "-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
            Scenario seg = s.flows().hasFlows() ? flowSegment(s, s.flows().flows().get(i - 1), st)
                    : segment(s, s.requests().get(i - 1), st);
            RunOutcome o = new RunSession(seg, new RunSession.Settings(dir, st.version(), st.eventLoops(),
                    Shard.WHOLE, st.signalExitCode()), vertx, segmentListener).execute();
            HuntResult.Suspect suspect = suspect(name, o.result(), o.resultFile());
            String r = name;
            suspects.add(suspect);
            progress.accept(String.format(Locale.ROOT, "  %s: %s", r, suspect.verdict() == null ? "no analysis"
                    : suspect.verdict() + (suspect.reasons().isEmpty() ? "" : ": " + suspect.reasons().get(0))));
        }
        return HuntResult.of(st.version(), s.name(), s.target().toString(), st.ratePerSecond(), st.segmentNanos() / 1e9,
                mc.leakThresholdMBPerHour(), suspects);
    }

    /** The scenario of one segment: the one request at the rate, a warm-up phase, then the segment; no criteria. */
    static Scenario segment(Scenario s, RequestSpec r, Settings st) {
        RequestSpec alone = new RequestSpec(r.name(), r.method(), r.url(), r.headers(), r.body(), 1, r.expect());
        Phase.ConstantRate rate = new Phase.ConstantRate(st.ratePerSecond(), false);
        return s.withLoad(s.name() + "-hunt-" + r.name(), List.of(new Phase("warm", st.warmupNanos(), rate, true),
                new Phase("segment", st.segmentNanos(), rate, false)), List.of(alone), List.of());
    }

    /** The scenario of one flow's segment: that flow alone, its iterations at the rate (setup and teardown kept). */
    static Scenario flowSegment(Scenario s, Flow f, Settings st) {
        Phase.ConstantRate rate = new Phase.ConstantRate(st.ratePerSecond(), false);
        Flow alone = new Flow(f.name(), 1, f.steps(), f.continueOnError(), f.resetEachIteration(), f.cookies());
        Flow.Plan p = s.flows();
        return s.withLoad(s.name() + "-hunt-" + f.name(), List.of(new Phase("warm", st.warmupNanos(), rate, true),
                new Phase("segment", st.segmentNanos(), rate, false)),
                f.steps().stream().map(Flow.Step::request).toList(), List.of())
                .withFlows(new Flow.Plan(List.of(alone), p.setup(), p.teardown(), p.variables()));
    }

    /**
     * A segment's figures: from its forced collections' series when the source was made to collect
     * (exact, and what a 30 s segment decides on), else the first analysed series.
     */
    static HuntResult.Suspect suspect(String request, RunResult result, Path file) {
        List<MemorySeries> memory = result.targetMemory().memory();
        List<MemorySeries> analysed = memory == null ? List.of() : memory.stream()
                .filter(x -> x.analysis() != null).toList();
        MemorySeries m = analysed.stream().filter(x -> x.kind() == MemoryKind.FORCED_GC).findFirst()
                .orElse(analysed.isEmpty() ? null : analysed.get(0));
        if (m == null) {
            return new HuntResult.Suspect(request, null, null, 0, null, null, List.of("no memory series was analysed"),
                    file.toString(), null);
        }
        LeakAnalysis a = m.analysis();
        boolean exact = m.kind() == MemoryKind.FORCED_GC;
        return new HuntResult.Suspect(request, m.source(), a.verdict(), a.slopeMBPerHour(), a.ci95MBPerHour(),
                m.retained(), a.reasons(), file.toString(), a.decideAfterSeconds(), exact, topGrowth(result));
    }

    /** The constructor or type that grew most in bytes between the segment's heap snapshots; else null. */
    static HeapGrowth.Group topGrowth(RunResult result) {
        if (result.targetMemory().forcedGc() == null) {
            return null;
        }
        for (ForcedGcResult f : result.targetMemory().forcedGc()) {
            HeapGrowth g = f.heapGrowth();
            if (g != null && g.error() == null && !g.top().isEmpty() && g.top().get(0).bytesDelta() > 0) {
                return g.top().get(0);
            }
        }
        return null;
    }

    private static void settle(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure(RunFailure.Kind.INTERRUPTED, "interrupted between hunt segments");
        }
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
