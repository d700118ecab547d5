package dev.loadleak.engine;

import dev.loadleak.scenario.Defaults;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.RequestSpec;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.Template;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the engine needs from a validated scenario, in the form the hot path wants: per phase a
 * schedule (open model) or a number of users (closed and max models), the request mix as a
 * {@link WeightedCycle}, and the limits.
 *
 * @param warmupUri      fetched once (GET, result ignored) before the clock starts, so that the
 *                       client's first-use costs (class loading, the first connection) do not land
 *                       on the first scheduled requests: the preflight URL, else the target
 * @param lateBoundNanos a send later than this after its intended time is counted as a late send
 * @param protocol       TLS trust, redirects, HTTP version and pipelining (from the scenario's defaults)
 */
public record EnginePlan(List<PhasePlan> phases, List<RequestSpec> requests, Map<String, Template> defaultHeaders,
                         URI target, URI warmupUri, WeightedCycle mix, int maxConnections, long timeoutNanos,
                         long lateBoundNanos, long seed, Defaults protocol) {

    public static final long DEFAULT_LATE_BOUND_NANOS = 10_000_000L;

    /**
     * One phase: open ({@code schedule} set) or closed ({@code users} loops with {@code thinkNanos}),
     * and when it starts relative to the run's start.
     */
    public record PhasePlan(String name, Schedule schedule, int users, long thinkNanos, long startOffsetNanos,
                            long durationNanos, boolean warmup) {
        public boolean open() {
            return schedule != null;
        }
    }

    public static EnginePlan of(Scenario s) {
        return of(s, 1);
    }

    public static EnginePlan of(Scenario s, long seed) {
        List<PhasePlan> phases = new ArrayList<>();
        long offset = 0;
        int i = 0;
        for (Phase p : s.phases()) {
            Schedule schedule = null;
            int users = 0;
            long think = 0;
            if (p.load() instanceof Phase.ConstantRate c) {
                schedule = new ConstantRateSchedule(c.perSecond(), p.durationNanos());
                schedule = c.poisson() ? new PoissonSchedule(schedule, seed + i) : schedule;
            } else if (p.load() instanceof Phase.Ramp r) {
                schedule = new RampSchedule(r.from(), r.to(), p.durationNanos());
                schedule = r.poisson() ? new PoissonSchedule(schedule, seed + i) : schedule;
            } else if (p.load() instanceof Phase.Closed c) {
                users = c.users();
                think = c.thinkNanos();
            } else if (p.load() instanceof Phase.Max m) {
                // each connection carries as many requests at once as pipelining (or HTTP/2 streams) allows
                users = m.connections() * s.defaults().requestsPerConnection();
            }
            phases.add(new PhasePlan(p.name(), schedule, users, think, offset, p.durationNanos(), p.warmup()));
            offset += p.durationNanos();
            i++;
        }
        int[] weights = s.requests().stream().mapToInt(RequestSpec::weight).toArray();
        URI warmup = s.preflight() != null ? s.preflight().resolve(s.target()) : s.target();
        return new EnginePlan(phases, s.requests(), s.defaults().headers(), s.target(), warmup, new WeightedCycle(weights),
                s.defaults().maxConnections(), s.defaults().timeoutNanos(), DEFAULT_LATE_BOUND_NANOS, seed,
                s.defaults());
    }

    public long totalDurationNanos() {
        PhasePlan last = phases.get(phases.size() - 1);
        return last.startOffsetNanos() + last.durationNanos();
    }

    /** Requests the open phases are expected to send (closed phases send as fast as they get answers). */
    public long expectedOpenRequests() {
        return phases.stream().filter(PhasePlan::open).mapToLong(p -> p.schedule().expectedCount()).sum();
    }

    public boolean allOpen() {
        return phases.stream().allMatch(PhasePlan::open);
    }
}
