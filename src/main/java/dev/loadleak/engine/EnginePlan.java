package dev.loadleak.engine;

import dev.loadleak.engine.load.ConstantRateSchedule;
import dev.loadleak.engine.load.LoadModel;
import dev.loadleak.engine.load.PhasePlan;
import dev.loadleak.engine.load.PoissonSchedule;
import dev.loadleak.engine.load.RampSchedule;
import dev.loadleak.engine.load.Schedule;
import dev.loadleak.engine.load.WeightedCycle;
import dev.loadleak.scenario.Defaults;
import dev.loadleak.scenario.Flow;
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
 * @param mix            the flow mix (by weight); a {@code requests:} scenario's flows are its requests
 * @param flows          what the users run: the scenario's flows, or its requests as one-step flows
 *                       ({@link Scenario#userFlows})
 * @param shared         the values setup extracted, by slot (null without setup)
 */
public record EnginePlan(List<PhasePlan> phases, List<RequestSpec> requests, Map<String, Template> defaultHeaders,
                         URI target, URI warmupUri, WeightedCycle mix, int maxConnections, long timeoutNanos,
                         long lateBoundNanos, long seed, Defaults protocol, Flow.Plan flows, String[] shared) {

    public static final long DEFAULT_LATE_BOUND_NANOS = 10_000_000L;

    public EnginePlan {
        phases = List.copyOf(phases);
        shared = shared == null ? null : shared.clone();
    }

    /** A copy: a record hands out no array it keeps. */
    @Override
    public String[] shared() {
        return shared == null ? null : shared.clone();
    }

    public static EnginePlan of(Scenario s) {
        return of(s, 1);
    }

    public static EnginePlan of(Scenario s, long seed) {
        return of(s, seed, null);
    }

    /** With {@code shared}, the values the scenario's setup extracted (by slot), or null. */
    public static EnginePlan of(Scenario s, long seed, String[] shared) {
        List<PhasePlan> phases = new ArrayList<>();
        long offset = 0;
        int i = 0;
        for (Phase p : s.phases()) {
            Schedule schedule = null;
            int users = 0;
            long think = 0;
            LoadModel.Kind model = LoadModel.Kind.OPEN;
            if (p.load() instanceof Phase.ConstantRate c) {
                schedule = new ConstantRateSchedule(c.perSecond(), p.durationNanos());
                schedule = c.poisson() ? new PoissonSchedule(schedule, seed + i) : schedule;
            } else if (p.load() instanceof Phase.Ramp r) {
                schedule = new RampSchedule(r.from(), r.to(), p.durationNanos());
                schedule = r.poisson() ? new PoissonSchedule(schedule, seed + i) : schedule;
            } else if (p.load() instanceof Phase.Closed c) {
                users = c.users();
                think = c.thinkNanos();
                model = LoadModel.Kind.CLOSED;
            } else if (p.load() instanceof Phase.Max m) {
                // each connection carries as many requests at once as pipelining (or HTTP/2 streams) allows
                users = m.connections() * s.defaults().requestsPerConnection();
                model = LoadModel.Kind.MAX;
            }
            phases.add(new PhasePlan(p.name(), model, schedule, users, think, offset, p.durationNanos(), p.warmup(), p));
            offset += p.durationNanos();
            i++;
        }
        Flow.Plan flows = s.userFlows();
        int[] weights = flows.flows().stream().mapToInt(Flow::weight).toArray();
        URI warmup = s.preflight() != null ? s.preflight().resolve(s.target()) : s.target();
        return new EnginePlan(phases, s.requests(), s.defaults().headers(), s.target(), warmup, new WeightedCycle(weights),
                s.defaults().maxConnections(), s.defaults().timeoutNanos(), DEFAULT_LATE_BOUND_NANOS, seed,
                s.defaults(), flows, shared);
    }

    public long totalDurationNanos() {
        return phases.get(phases.size() - 1).endOffsetNanos();
    }

    /** The phase that runs at {@code seconds} into the run (the last one after the end), by index. */
    public int phaseIndexAt(double seconds) {
        for (int i = 0; i < phases.size(); i++) {
            if (seconds < phases.get(i).endOffsetNanos() / 1e9) {
                return i;
            }
        }
        return phases.size() - 1;
    }

    /** The open-model rate intended at {@code seconds} into the run; 0 in closed and max phases and after the end. */
    public double intendedRateAt(double seconds) {
        if (seconds >= totalDurationNanos() / 1e9) {
            return 0;
        }
        PhasePlan p = phases.get(phaseIndexAt(seconds));
        return p.open() ? p.source().intendedRateAt(seconds - p.startOffsetNanos() / 1e9) : 0;
    }

    /**
     * Where the warm-up ends, in seconds into the run: the end of the last warm-up phase, else
     * {@code defaultShare} of the run (leak analysis ignores the memory series before it).
     */
    public double warmupEndSeconds(double defaultShare) {
        double end = -1;
        for (PhasePlan p : phases) {
            if (p.warmup()) {
                end = p.endOffsetNanos() / 1e9;
            }
        }
        return end >= 0 ? end : defaultShare * totalDurationNanos() / 1e9;
    }

    /**
     * How long each phase ran, in seconds: as planned for a run that completed, else clipped to
     * the {@code measuredSeconds} the run lasted.
     */
    public double[] phaseSeconds(boolean completed, double measuredSeconds) {
        double[] out = new double[phases.size()];
        for (int i = 0; i < out.length; i++) {
            PhasePlan p = phases.get(i);
            double planned = p.durationNanos() / 1e9;
            out[i] = completed ? planned : Math.max(0, Math.min(planned, measuredSeconds - p.startOffsetNanos() / 1e9));
        }
        return out;
    }

    /** Requests the open phases are expected to send (closed phases send as fast as they get answers). */
    public long expectedOpenRequests() {
        return phases.stream().filter(PhasePlan::open).mapToLong(p -> p.schedule().expectedCount()).sum();
    }

    public boolean allOpen() {
        return phases.stream().allMatch(PhasePlan::open);
    }
}
