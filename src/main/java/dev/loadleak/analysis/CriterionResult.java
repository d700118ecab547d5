package dev.loadleak.analysis;

/**
 * One criterion, evaluated: "required p95 < 500 ms, actual 612 ms — FAIL (22 % over)".
 *
 * @param actual     the measured value in the metric's canonical unit, or null when it could not be measured
 * @param actualText the actual value for people, or why there is none
 * @param credit     0..1, this criterion's share of the score (see {@link CriteriaEvaluator})
 * @param message    the whole sentence, as every report prints it
 */
public record CriterionResult(String level, String expression, String metric, Double actual, String actualText,
                              double threshold, String thresholdText, boolean pass, double weight, double credit,
                              String message) {
}
