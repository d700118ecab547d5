package dev.loadleak.analysis;

import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.ErrorKind;
import dev.loadleak.engine.HttpEngine;
import dev.loadleak.metrics.Stats;
import dev.loadleak.metrics.Totals;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@link RunResult} of a run from what the metrics stage collected. */
public final class ResultAssembler {
    private ResultAssembler() {
    }

    public static RunResult assemble(Scenario scenario, EnginePlan plan, Totals totals, HttpEngine.Outcome outcome,
                                     Instant startedAt) {
        boolean completed = outcome.status() == HttpEngine.Status.COMPLETED;
        double planned = plan.totalDurationNanos() / 1e9;
        double measured = (outcome.endNanos() - outcome.startNanos()) / 1e9;
        double duration = completed ? planned : Math.min(planned, measured);

        Map<String, Stats> requests = new LinkedHashMap<>();
        for (int r = 0; r < scenario.requests().size(); r++) {
            requests.put(scenario.requests().get(r).name(), totals.request(r, duration));
        }
        Map<String, Stats> phases = new LinkedHashMap<>();
        List<RunResult.PhaseInfo> phaseInfo = new ArrayList<>();
        for (int p = 0; p < scenario.phases().size(); p++) {
            Phase ph = scenario.phases().get(p);
            double phaseSeconds = ph.durationNanos() / 1e9;
            if (!completed) {
                double phaseStart = plan.phases().get(p).startOffsetNanos() / 1e9;
                phaseSeconds = Math.max(0, Math.min(phaseSeconds, measured - phaseStart));
            }
            phases.put(ph.name(), totals.phase(p, phaseSeconds));
            double rate = ph.load() instanceof Phase.ConstantRate c ? c.perSecond() : 0;
            phaseInfo.add(new RunResult.PhaseInfo(ph.name(), ph.durationNanos() / 1e9, rate));
        }
        Map<String, String> samples = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            String d = totals.firstErrorDetail()[k.ordinal()];
            if (d != null) {
                samples.put(k.label(), d);
            }
        }
        Stats.Summary lag = totals.sendLag().getTotalCount() == 0 ? null : Stats.Summary.of(totals.sendLag());
        return new RunResult(RunResult.SCHEMA_VERSION, completed ? "completed" : "interrupted",
                new RunResult.ScenarioInfo(scenario.name(), scenario.source(), scenario.target().toString(), phaseInfo),
                startedAt.toString(), Math.round(duration * 1000) / 1000.0, plan.totalRequests(),
                totals.overall(duration), requests, phases, lag, samples, totals.timeline());
    }
}
