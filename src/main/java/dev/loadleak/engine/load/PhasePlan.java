package dev.loadleak.engine.load;

import dev.loadleak.scenario.Phase;

/**
 * One phase: open ({@code schedule}), closed ({@code users} loops with {@code thinkNanos}) or
 * max rate ({@code users} that never pause), and when it starts relative to the run's start.
 *
 * @param source the scenario's phase it was made from
 */
public record PhasePlan(String name, LoadModel.Kind model, Schedule schedule, int users, long thinkNanos,
                        long startOffsetNanos, long durationNanos, boolean warmup, Phase source) {
    public boolean open() {
        return model == LoadModel.Kind.OPEN;
    }

    public long endOffsetNanos() {
        return startOffsetNanos + durationNanos;
    }
}
