package dev.loadleak.analysis;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * The Mann–Whitney U test (Wilcoxon rank-sum), one-sided: is {@code y} stochastically greater than
 * {@code x}? Apache Commons Statistics' implementation: the exact distribution of U for small
 * samples without ties, else the normal approximation with tie correction and a continuity
 * correction. Used on per-second figures, which are far less autocorrelated than single requests.
 */
public final class MannWhitney {
    private static final MannWhitneyUTest GREATER = MannWhitneyUTest.withDefaults()
            .with(AlternativeHypothesis.GREATER_THAN);

    private MannWhitney() {
    }

    /** One-sided p-value for "y tends to be larger than x"; 1 when either side is empty. */
    public static double pGreater(double[] x, double[] y) {
        if (x.length == 0 || y.length == 0) {
            return 1;
        }
        return GREATER.test(y, x).getPValue();
    }
}
