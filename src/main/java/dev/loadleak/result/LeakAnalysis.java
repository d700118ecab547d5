package dev.loadleak.result;

import java.util.List;

/**
 * What the leak detector concluded about one memory series.
 *
 * @param verdict              LEAK, NO_LEAK or INCONCLUSIVE (its name in JSON)
 * @param slopeMBPerHour       Theil–Sen slope of the post-GC floor, MB (2^20 bytes) per hour
 * @param ci95MBPerHour        its 95 % confidence interval [low, high]
 * @param slopeBytesPerSecond  the same slope in bytes per second
 * @param mannKendallP         two-sided p-value of the Mann–Kendall trend test on the floor
 * @param rSquared             share of the floor's variance a straight line explains
 * @param plateau              growth that stopped (cache fill, warm-up) rather than went on
 * @param growthMBPerHour      the growth the memory_growth criterion reads: the slope, or after a
 *                             plateau the slope of the second half
 * @param floor                the post-GC floor the slope was fitted to: [[seconds, bytes]]
 * @param analysedFromSecond   samples before this were excluded as warm-up
 * @param reasons              the verdict in words, e.g. "floor grew 63 MB/h (95 % CI 51–74)"
 * @param thresholdMBPerHour   the growth the verdict is about: LEAK means above it is established,
 *                             NO_LEAK that above it is ruled out
 * @param growthCi95MBPerHour  the 95 % interval of {@code growthMBPerHour} (after a plateau, the
 *                             second half's); criteria on memory_growth compare it with their limit
 * @param decideAfterSeconds   for an INCONCLUSIVE trend, about how many seconds of samples after
 *                             warm-up would decide at the threshold at this noise; else null
 */
public record LeakAnalysis(LeakFinding verdict, double slopeMBPerHour, double[] ci95MBPerHour, double slopeBytesPerSecond,
                           double mannKendallP, double rSquared, boolean plateau, double growthMBPerHour, List<double[]> floor,
                           double analysedFromSecond, int samplesUsed, List<String> reasons,
                           double thresholdMBPerHour, double[] growthCi95MBPerHour, Double decideAfterSeconds) {
}
