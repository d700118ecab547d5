package dev.loadleak.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One pass/fail criterion, parsed from text such as {@code p99{request=list-media} < 800ms}.
 * The threshold is held in the metric's canonical unit: µs for latencies, a fraction for
 * error_rate, requests/s for throughput, MB/h for memory_growth, bytes for memory_max, a count for
 * errors and late_sends, the raw value for target metrics.
 *
 * @param metric    p50, p90, p95, p99, p99.9, max, mean (with {@code _uncorrected} optional),
 *                  throughput, error_rate, errors, late_sends, memory_growth, memory_max, or
 *                  {@code target.<prometheus metric>}
 * @param request   scope: one request's figures, or null
 * @param phase     scope: one phase's figures, or null
 * @param kind      for {@code errors}: one error kind, or null for all
 * @param source    for memory metrics: one memory source, or null for the worst of them
 * @param aggregate for target metrics: max, min, mean or last
 * @param unit      the unit as written, for display
 * @param point     for memory_growth: compare the point estimate ({@code (point)} after the value)
 *                  instead of the 95 % interval
 * @param errorAnswers for latencies ({@code {outcome=error}}): the latency of the answers that
 *                  arrived but failed, instead of the successes'
 * @param flow      scope: one user flow (its steps together, or its iterations), or null
 * @param abortOnFail stop the run as soon as this (required) criterion fails on the figures so far, as
 *                  the live view scores them (memory_growth: once growth above it is established)
 * @param abortDelaySeconds with {@code abortOnFail}: not judged before this many seconds of load
 */
public record Criterion(Level level, String expression, String metric, String request, String phase, String kind,
                       String source, String aggregate, Op op, double threshold, String unit, double weight,
                       boolean point, boolean errorAnswers, String flow, boolean abortOnFail, double abortDelaySeconds) {

    public Criterion(Level level, String expression, String metric, String request, String phase, String kind,
                     String source, String aggregate, Op op, double threshold, String unit, double weight,
                     boolean point, boolean errorAnswers, String flow) {
        this(level, expression, metric, request, phase, kind, source, aggregate, op, threshold, unit, weight, point,
                errorAnswers, flow, false, 0);
    }

    /** This criterion, stopping the run when it fails (not before {@code delaySeconds} of load). */
    public Criterion abortingOnFail(double delaySeconds) {
        return new Criterion(level, expression, metric, request, phase, kind, source, aggregate, op, threshold, unit,
                weight, point, errorAnswers, flow, true, delaySeconds);
    }

    public Criterion(Level level, String expression, String metric, String request, String phase, String kind,
                     String source, String aggregate, Op op, double threshold, String unit, double weight,
                     boolean point, boolean errorAnswers) {
        this(level, expression, metric, request, phase, kind, source, aggregate, op, threshold, unit, weight, point,
                errorAnswers, null);
    }

    /** Which list of {@code criteria:} a criterion is on: its word is the key, lower case, in scenarios and JSON. */
    public enum Level {
        REQUIRED, TARGET;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Level of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }
    }

    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("==");

        public final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public boolean test(double actual, double threshold) {
            switch (this) {
                case LT: return actual < threshold;
                case LE: return actual <= threshold;
                case GT: return actual > threshold;
                case GE: return actual >= threshold;
                default: return actual == threshold;
            }
        }
    }

    public boolean isLatency() {
        return CriteriaParser.LATENCY.contains(baseMetric());
    }

    /** A time: a latency, or a flow's iteration duration. */
    public boolean isDuration() {
        return isLatency() || metric.equals("iteration_duration");
    }

    public boolean uncorrected() {
        return metric.endsWith("_uncorrected");
    }

    /** The metric without {@code _uncorrected}. */
    public String baseMetric() {
        return uncorrected() ? metric.substring(0, metric.length() - "_uncorrected".length()) : metric;
    }
}
