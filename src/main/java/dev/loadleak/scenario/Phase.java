package dev.loadleak.scenario;

/**
 * One phase of load. This slice knows the open model at a constant arrival rate; ramps, Poisson
 * arrivals and closed models extend {@link Load} without changing the phase itself.
 */
public record Phase(String name, long durationNanos, Load load) {

    /** How load is offered during a phase. */
    public sealed interface Load permits ConstantRate {
    }

    /** Open model: requests are sent at this many per second whatever the target's latency. */
    public record ConstantRate(double perSecond) implements Load {
    }

    public Phase withDurationNanos(long nanos) {
        return new Phase(name, nanos, load);
    }
}
