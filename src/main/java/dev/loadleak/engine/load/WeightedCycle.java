package dev.loadleak.engine.load;

/**
 * Picks which request to send for each index by weight, deterministically and without garbage:
 * one cycle of {@code sum(weights)} slots is laid out once with smooth weighted round-robin
 * (as nginx does), so weights 3:1 give A A B A rather than A A A B, and every window of the
 * cycle is close to the requested mix.
 */
public final class WeightedCycle {
    private final int[] slots;

    public WeightedCycle(int[] weights) {
        if (weights.length == 0) {
            throw new IllegalArgumentException("at least one weight is needed");
        }
        long total = 0;
        for (int w : weights) {
            if (w < 1) {
                throw new IllegalArgumentException("weights must be >= 1, was " + w);
            }
            total += w;
        }
        if (total > 10_000_000) {
            throw new IllegalArgumentException("sum of weights must be <= 10000000, was " + total);
        }
        slots = new int[(int) total];
        long[] current = new long[weights.length];
        for (int s = 0; s < slots.length; s++) {
            int best = 0;
            for (int i = 0; i < weights.length; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            slots[s] = best;
        }
    }

    /** The request index to use for send number {@code n}. */
    public int pick(long n) {
        return slots[(int) (n % slots.length)];
    }

    public int length() {
        return slots.length;
    }
}
