package dev.loadleak.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Axis ticks on 1-2-5 steps: 0 / 50 / … / 250, not 0 / 63 / 125 / 188 / 250. */
class SvgTest {
    @Test
    void niceTicks() {
        assertArrayEquals(new double[] {0, 50, 100, 150, 200, 250}, Svg.niceTicks(0, 250, 5), 1e-9);
        assertArrayEquals(new double[] {0, 50, 100, 150, 200, 250}, Svg.niceTicks(0, 231, 5), 1e-9);
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2}, Svg.niceTicks(0, 1.7, 4), 1e-9);
        assertArrayEquals(new double[] {10, 12, 14, 16, 18, 20}, Svg.niceTicks(11.3, 19.6, 5), 1e-9);
        assertArrayEquals(new double[] {0, 5, 10, 15, 20, 25, 30}, Svg.niceTicksWithin(0, 30, 6), 1e-9);
        assertArrayEquals(new double[] {0, 200, 400, 600}, Svg.niceTicksWithin(0, 700, 4), 1e-9);
    }

    @Test
    void renderedAxesUseThem() {
        Svg s = new Svg("t", 960, 260).xAxis("seconds", Svg::fmt).yAxis("ms", Svg::fmt)
                .line("a", "#000", new double[] {0, 10, 30}, new double[] {0, 120, 231}, false);
        String svg = s.render();
        for (String tick : new String[] {">50<", ">100<", ">250<", ">5<", ">15<", ">30<"}) {
            assertTrue(svg.contains(tick), tick + " in " + svg);
        }
        assertTrue(!svg.contains(">63<") && !svg.contains(">188<"), svg);
    }
}
