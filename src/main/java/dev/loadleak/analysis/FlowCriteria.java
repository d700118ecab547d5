package dev.loadleak.analysis;

import dev.loadleak.result.FlowResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.Criterion;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Criteria about flows: {@code iteration_duration{flow=NAME} p95 < 2s},
 * {@code iteration_failure_rate < 1%}, and request metrics over all of one flow's steps
 * ({@code p95{flow=NAME}}: the steps' histograms added, never averaged).
 */
final class FlowCriteria {
    private FlowCriteria() {
    }

    static CriteriaEvaluator.Measured iterations(Criterion c, RunResult run) {
        if (run.userFlows().flows() == null || run.userFlows().flows().isEmpty()) {
            return measured(null, "no flow in this run", null);
        }
        List<FlowResult> flows = c.flow() == null ? new ArrayList<>(run.userFlows().flows().values())
                : run.userFlows().flows().containsKey(c.flow()) ? List.of(run.userFlows().flows().get(c.flow())) : List.of();
        if (flows.isEmpty()) {
            return measured(null, "no flow " + c.flow() + " in this run", null);
        }
        if (c.metric().equals("iteration_failure_rate")) {
            long failed = flows.stream().mapToLong(FlowResult::failed).sum();
            long ended = failed + flows.stream().mapToLong(FlowResult::completed).sum();
            return ended == 0 ? measured(null, "no iteration ended", null) : measured((double) failed / ended, null, null);
        }
        // iteration_duration without flow=: the slowest flow decides
        Double worst = null;
        String which = null;
        for (FlowResult f : flows) {
            if (f.durationMicros() != null) {
                double v = c.uncorrected() ? f.durationMicros().uncorrected().get(c.aggregate())
                        : f.durationMicros().corrected().get(c.aggregate());
                if (worst == null || v > worst) {
                    worst = v;
                    which = f.name();
                }
            }
        }
        return worst == null ? measured(null, "no iteration ended", null)
                : measured(worst, null, flows.size() > 1 ? "slowest flow: " + which : null);
    }

    /** A request metric over every step of {@code c.flow()}. */
    static CriteriaEvaluator.Measured steps(Criterion c, RunResult run) {
        FlowResult f = run.userFlows().flows() == null ? null : run.userFlows().flows().get(c.flow());
        if (f == null) {
            return measured(null, "no flow " + c.flow() + " in this run", null);
        }
        long requests = 0;
        long errors = 0;
        long kindErrors = 0;
        double throughput = 0;
        Histogram corrected = null;
        for (String step : f.steps()) {
            Stats s = run.load().requests().get(f.name() + "." + step);
            if (s == null) {
                continue;
            }
            requests += s.requests();
            errors += s.errors();
            kindErrors += c.kind() == null ? s.errors() : s.errorsByKind().getOrDefault(c.kind(), 0L);
            throughput += s.throughputPerSecond();
            if (c.isLatency() && s.histograms() != null) {
                String enc = c.errorAnswers() ? s.histograms().answeredErrors() : c.uncorrected()
                        ? s.histograms().uncorrected() : s.histograms().corrected();
                if (enc != null) {
                    Histogram h = Stats.decode(enc);
                    if (corrected == null) {
                        corrected = h;
                    } else {
                        corrected.add(h);
                    }
                }
            }
        }
        if (c.isLatency()) {
            if (corrected == null || corrected.getTotalCount() == 0) {
                return measured(null, c.errorAnswers() ? "no failed answer" : "no successful request", null);
            }
            return measured(Stats.Summary.of(corrected).get(c.baseMetric()), null, null);
        }
        return switch (c.baseMetric()) {
            case "throughput" -> measured(throughput, null, null);
            case "error_rate" -> requests == 0 ? measured(null, "no request completed", null)
                    : measured((double) errors / requests, null, null);
            case "errors" -> measured((double) kindErrors, null, null);
            default -> measured(null, "unknown metric", null);
        };
    }

    private static CriteriaEvaluator.Measured measured(Double v, String why, String note) {
        return new CriteriaEvaluator.Measured(v, why, note, null, false);
    }
}
