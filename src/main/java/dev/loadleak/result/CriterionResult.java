package dev.loadleak.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.loadleak.scenario.Criterion;
import java.util.Locale;

/**
 * One criterion, evaluated: "required p95 < 500 ms, actual 612 ms — FAIL (22 % over)".
 *
 * @param actual     the measured value in the metric's canonical unit, or null when it could not be measured
 * @param actualText the actual value for people, or why there is none
 * @param credit     0..1, this criterion's share of the score (see {@link CriteriaEvaluator})
 * @param pass       true only when the criterion passed
 * @param message    the whole sentence, as every report prints it
 * @param level      required or target (its word in JSON)
 * @param outcome    {@code pass}, {@code fail}, or {@code inconclusive} when the measurement's interval
 *                   straddles the limit (memory_growth): neither passed nor failed; null in results written
 *                   before it was a field
 */
public record CriterionResult(Criterion.Level level, String expression, String metric, Double actual, String actualText,
                              double threshold, String thresholdText, boolean pass, double weight, double credit,
                              String message, Outcome outcome) {
    /** How a criterion came out: its JSON word is lower case. */
    public enum Outcome {
        PASS, FAIL,
        /** The measurement's interval straddles the limit: neither passed nor failed. */
        INCONCLUSIVE;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Outcome of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }
    }

    /** The outcome, also for results written before it was a field (pass or fail then). */
    public Outcome outcomeOrPass() {
        return outcome != null ? outcome : pass ? Outcome.PASS : Outcome.FAIL;
    }

    public boolean inconclusive() {
        return outcome == Outcome.INCONCLUSIVE;
    }

    public boolean required() {
        return level == Criterion.Level.REQUIRED;
    }

    /** PASS, FAIL or INCONCLUSIVE, for people. */
    public String word() {
        return outcomeOrPass().name();
    }
}
