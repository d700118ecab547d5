package dev.loadleak.analysis;

import java.util.Arrays;

/**
 * The Mann–Whitney U test (Wilcoxon rank-sum), one-sided: is {@code y} stochastically greater than
 * {@code x}? Ranks with average ties; the normal approximation with tie correction,
 * {@code Var(U) = n1·n2/12 · ((n+1) − Σ(t³ − t) / (n(n − 1)))}, and a continuity correction of
 * 0.5. Used on per-second figures, which are far less autocorrelated than single requests.
 */
public final class MannWhitney {
    private MannWhitney() {
    }

    /** One-sided p-value for "y tends to be larger than x"; 1 when either side is empty. */
    public static double pGreater(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            return 1;
        }
        int n = n1 + n2;
        double[][] all = new double[n][2];
        for (int i = 0; i < n1; i++) {
            all[i] = new double[] {x[i], 0};
        }
        for (int i = 0; i < n2; i++) {
            all[n1 + i] = new double[] {y[i], 1};
        }
        Arrays.sort(all, (a, b) -> Double.compare(a[0], b[0]));
        double rankSumY = 0;
        double tieTerm = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && all[j + 1][0] == all[i][0]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            int t = j - i + 1;
            tieTerm += (double) t * t * t - t;
            for (int k = i; k <= j; k++) {
                if (all[k][1] == 1) {
                    rankSumY += rank;
                }
            }
            i = j + 1;
        }
        double u = rankSumY - n2 * (n2 + 1) / 2.0;
        double mean = n1 * (double) n2 / 2;
        double var = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        if (var <= 0) {
            return u > mean ? 0 : 1;
        }
        double z = (u - mean - 0.5) / Math.sqrt(var);
        return 1 - Trend.normalCdf(z);
    }
}
