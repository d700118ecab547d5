package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrendTest {
    @Test
    void perfectLineHasExactSlopeAndTinyP() {
        double[] x = new double[20];
        double[] y = new double[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i;
            y[i] = 3 + 2.5 * i;
        }
        Trend.Fit f = Trend.fit(x, y);
        assertEquals(2.5, f.slope(), 1e-12);
        assertEquals(2.5, f.ciLow(), 1e-12);
        assertEquals(2.5, f.ciHigh(), 1e-12);
        assertEquals(190, f.mannKendallS());
        assertEquals(1.0, f.rSquared(), 1e-12);
        assertTrue(f.pValue() < 1e-8);
    }

    @Test
    void mannKendallMatchesAHandComputedExample() {
        // y = 1, 3, 2, 4, 5: S = 8 (9 concordant, 1 discordant); Var(S) = 5*4*15/18 = 16.667
        Trend.Fit f = Trend.fit(new double[] {1, 2, 3, 4, 5}, new double[] {1, 3, 2, 4, 5});
        assertEquals(8, f.mannKendallS());
        assertEquals((8 - 1) / Math.sqrt(50.0 / 3), f.mannKendallZ(), 1e-12);
        assertEquals(0.0864, f.pValue(), 0.001);
        assertEquals(1.0, f.slope(), 1e-12);
    }

    @Test
    void tiesReduceTheVariance() {
        assertEquals(5 * 4 * 15 / 18.0, Trend.varianceS(new double[] {1, 2, 3, 4, 5}), 1e-12);
        // one group of 3 ties: subtract 3*2*11 = 66
        assertEquals((5 * 4 * 15 - 66) / 18.0, Trend.varianceS(new double[] {1, 2, 2, 2, 5}), 1e-12);
        Trend.Fit flat = Trend.fit(new double[] {1, 2, 3, 4}, new double[] {7, 7, 7, 7});
        assertEquals(0, flat.slope());
        assertEquals(1.0, flat.pValue(), 1e-6);
    }

    @Test
    void theilSenResistsOutliers() {
        double[] x = new double[30];
        double[] y = new double[30];
        for (int i = 0; i < 30; i++) {
            x[i] = i;
            y[i] = i;
        }
        y[3] = 500;
        y[17] = -400;
        y[25] = 900;
        assertEquals(1.0, Trend.fit(x, y).slope(), 0.05);
    }

    @Test
    void normalCdf() {
        assertEquals(0.5, Trend.normalCdf(0), 1e-7);
        assertEquals(0.975, Trend.normalCdf(1.959963984540054), 1e-6);
        assertEquals(0.0013499, Trend.normalCdf(-3), 1e-6);
    }

    @Test
    void needsThreePoints() {
        assertThrows(IllegalArgumentException.class, () -> Trend.fit(new double[] {1, 2}, new double[] {1, 2}));
    }
}
