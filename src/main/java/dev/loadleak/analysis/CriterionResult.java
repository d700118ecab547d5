package dev.loadleak.analysis;

/**
 * One criterion, evaluated: "required p95 < 500 ms, actual 612 ms — FAIL (22 % over)".
 *
 * @param actual     the measured value in the metric's canonical unit, or null when it could not be measured
 * @param actualText the actual value for people, or why there is none
 * @param credit     0..1, this criterion's share of the score (see {@link CriteriaEvaluator})
 * @param pass       true only when the criterion passed
 * @param message    the whole sentence, as every report prints it
 * @param outcome    {@code pass}, {@code fail}, or {@code inconclusive} when the measurement's interval
 *                   straddles the limit (memory_growth): neither passed nor failed
 */
public record CriterionResult(String level, String expression, String metric, Double actual, String actualText,
                              double threshold, String thresholdText, boolean pass, double weight, double credit,
                              String message, String outcome) {
    public static final String PASS = "pass";
    public static final String FAIL = "fail";
    public static final String INCONCLUSIVE = "inconclusive";

    /** The outcome, also for results written before it was a field (pass or fail then). */
    public String outcomeOrPass() {
        return outcome != null ? outcome : pass ? PASS : FAIL;
    }

    public boolean inconclusive() {
        return INCONCLUSIVE.equals(outcome);
    }

    /** PASS, FAIL or INCONCLUSIVE, for people. */
    public String word() {
        return outcomeOrPass().toUpperCase(java.util.Locale.ROOT);
    }
}
