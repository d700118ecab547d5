package dev.loadleak.history;

import dev.loadleak.result.FlowResult;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.Stats;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What a run records in the history's {@code metrics} and {@code histograms} tables, by scope:
 * {@code overall} and {@code request:NAME} (a flow's steps are {@code request:FLOW.STEP}): requests,
 * throughput, error rate, corrected p50/p95/p99 and the encoded histograms; {@code flow:NAME}: the
 * iterations started, completed and failed, their failure rate and corrected duration;
 * {@code memory:SOURCE}: the growth, its interval, the verdict (1 LEAK, 0 NO_LEAK, 0.5 otherwise)
 * and the bytes retained per request; {@code overall} also the score.
 */
final class RunFigures {
    private RunFigures() {
    }

    static void stats(PreparedStatement m, PreparedStatement h, long id, String scope, Stats s) throws SQLException {
        if (s == null) {
            return;
        }
        metric(m, id, scope, "requests", s.requests());
        metric(m, id, scope, "throughput", s.throughputPerSecond());
        metric(m, id, scope, "error_rate", s.errorRate());
        if (s.latencyMicros() != null && s.latencyMicros().corrected() != null) {
            Stats.Summary c = s.latencyMicros().corrected();
            metric(m, id, scope, "p50", c.p50());
            metric(m, id, scope, "p95", c.p95());
            metric(m, id, scope, "p99", c.p99());
        }
        if (s.histograms() != null) {
            histogram(h, id, scope, "corrected", s.histograms().corrected());
            histogram(h, id, scope, "uncorrected", s.histograms().uncorrected());
        }
    }

    /** A flow's iterations: started, completed, failed, failure rate, and the corrected iteration duration. */
    static void flow(PreparedStatement m, PreparedStatement h, long id, String scope, FlowResult f)
            throws SQLException {
        metric(m, id, scope, "iterations_started", f.started());
        metric(m, id, scope, "iterations_completed", f.completed());
        metric(m, id, scope, "iterations_failed", f.failed());
        metric(m, id, scope, "iteration_failure_rate", f.failureRate());
        if (f.durationMicros() != null && f.durationMicros().corrected() != null) {
            Stats.Summary c = f.durationMicros().corrected();
            metric(m, id, scope, "iteration_p50", c.p50());
            metric(m, id, scope, "iteration_p95", c.p95());
            metric(m, id, scope, "iteration_p99", c.p99());
        }
        if (f.histograms() != null) {
            histogram(h, id, scope, "corrected", f.histograms().corrected());
        }
    }

    static void memory(PreparedStatement m, long id, String scope, MemorySeries s) throws SQLException {
        if (s.analysis() == null) {
            return;
        }
        metric(m, id, scope, "memory_growth", s.analysis().slopeMBPerHour());
        if (s.analysis().ci95MBPerHour() != null) {
            metric(m, id, scope, "memory_growth_low", s.analysis().ci95MBPerHour()[0]);
            metric(m, id, scope, "memory_growth_high", s.analysis().ci95MBPerHour()[1]);
        }
        metric(m, id, scope, "leak", switch (s.analysis().verdict()) {
            case LEAK -> 1;
            case NO_LEAK -> 0;
            case INCONCLUSIVE -> 0.5;
        });
        if (s.retained() != null) {
            metric(m, id, scope, "bytes_per_" + s.retained().per(), s.retained().bytes());
        }
    }

    static void metric(PreparedStatement m, long id, String scope, String metric, double value) throws SQLException {
        if (!Double.isFinite(value)) {
            return;
        }
        m.setLong(1, id);
        m.setString(2, scope);
        m.setString(3, metric);
        m.setDouble(4, value);
        m.addBatch();
    }

    static void histogram(PreparedStatement h, long id, String scope, String kind, String encoded) throws SQLException {
        if (encoded == null) {
            return;
        }
        h.setLong(1, id);
        h.setString(2, scope);
        h.setString(3, kind);
        h.setString(4, encoded);
        h.addBatch();
    }
}
