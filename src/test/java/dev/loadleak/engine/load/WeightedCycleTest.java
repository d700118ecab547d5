package dev.loadleak.engine.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WeightedCycleTest {
    private static int[] first(WeightedCycle c, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = c.pick(i);
        }
        return out;
    }

    @Test
    void singleRequestAlwaysPicked() {
        assertArrayEquals(new int[] {0, 0, 0}, first(new WeightedCycle(new int[] {5}), 3));
    }

    @Test
    void smoothInterleavingNotBlocks() {
        assertArrayEquals(new int[] {0, 0, 1, 0, 0, 0, 1, 0}, first(new WeightedCycle(new int[] {3, 1}), 8));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, first(new WeightedCycle(new int[] {1, 1, 1}), 6));
    }

    @Test
    void sharesMatchWeightsExactlyPerCycle() {
        WeightedCycle c = new WeightedCycle(new int[] {6, 3, 1});
        int[] counts = new int[3];
        for (int i = 0; i < 1000; i++) {
            counts[c.pick(i)]++;
        }
        assertArrayEquals(new int[] {600, 300, 100}, counts);
        assertEquals(10, c.length());
    }

    @Test
    void rejectsBadWeights() {
        assertThrows(IllegalArgumentException.class, () -> new WeightedCycle(new int[] {}));
        assertThrows(IllegalArgumentException.class, () -> new WeightedCycle(new int[] {1, 0}));
    }
}
