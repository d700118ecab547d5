package dev.loadleak.engine;

import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.RequestSpec;
import dev.loadleak.scenario.Scenario;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine needs from a validated scenario, in the form the hot path wants: one schedule
 * per phase (with its start offset), the request mix as a {@link WeightedCycle}, and the limits.
 *
 * @param lateBoundNanos a send later than this after its intended time is counted as a late send
 */
public record EnginePlan(List<PhasePlan> phases, List<RequestSpec> requests, URI target, WeightedCycle mix,
                         int maxConnections, long timeoutNanos, long lateBoundNanos) {

    public static final long DEFAULT_LATE_BOUND_NANOS = 10_000_000L;

    /** One phase: its schedule, and when it starts relative to the run's start. */
    public record PhasePlan(String name, Schedule schedule, long startOffsetNanos, long durationNanos) {
    }

    public static EnginePlan of(Scenario s) {
        List<PhasePlan> phases = new ArrayList<>();
        long offset = 0;
        for (Phase p : s.phases()) {
            Schedule schedule;
            if (p.load() instanceof Phase.ConstantRate c) {
                schedule = new ConstantRateSchedule(c.perSecond(), p.durationNanos());
            } else {
                throw new IllegalStateException("unsupported load model " + p.load());
            }
            phases.add(new PhasePlan(p.name(), schedule, offset, p.durationNanos()));
            offset += p.durationNanos();
        }
        int[] weights = s.requests().stream().mapToInt(RequestSpec::weight).toArray();
        return new EnginePlan(phases, s.requests(), s.target(), new WeightedCycle(weights),
                s.defaults().maxConnections(), s.defaults().timeoutNanos(), DEFAULT_LATE_BOUND_NANOS);
    }

    public long totalDurationNanos() {
        PhasePlan last = phases.get(phases.size() - 1);
        return last.startOffsetNanos() + last.durationNanos();
    }

    public long totalRequests() {
        return phases.stream().mapToLong(p -> p.schedule().count()).sum();
    }
}
