package dev.loadleak.scenario;

/**
 * One phase of load, run after the one before it. A warm-up phase is measured and reported but
 * not scored.
 */
public record Phase(String name, long durationNanos, Load load, boolean warmup) {

    /**
     * How load is offered during a phase: one record per load model, with its settings and how reports
     * name it. What each one does at run time is its policy in {@code engine.load} (registered by kind).
     */
    public sealed interface Load permits ConstantRate, Ramp, Closed, Max {
        /** The model in a few words, as reports print it: "constant 200/s (poisson)", "closed 20 users, think 1000 ms". */
        String describe();

        private static String num(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }

        private static String poisson(boolean poisson) {
            return poisson ? " (poisson)" : "";
        }
    }

    /** Open model: {@code perSecond} arrivals a second, evenly spaced or (poisson) at random. */
    public record ConstantRate(double perSecond, boolean poisson) implements Load {
        @Override
        public String describe() {
            return "constant " + Load.num(perSecond) + "/s" + Load.poisson(poisson);
        }
    }

    /** Open model whose rate changes linearly from {@code from} to {@code to} over the phase. */
    public record Ramp(double from, double to, boolean poisson) implements Load {
        @Override
        public String describe() {
            return "ramp " + Load.num(from) + "/s to " + Load.num(to) + "/s" + Load.poisson(poisson);
        }
    }

    /** Closed model: {@code users} each send, wait for the response, think, and send again. */
    public record Closed(int users, long thinkNanos) implements Load {
        @Override
        public String describe() {
            return "closed " + users + " users, think " + thinkNanos / 1_000_000 + " ms";
        }
    }

    /** As fast as {@code connections} connections allow (like wrk). */
    public record Max(int connections) implements Load {
        @Override
        public String describe() {
            return "max " + connections + " connections";
        }
    }

    public Phase withDurationNanos(long nanos) {
        return new Phase(name, nanos, load, warmup);
    }

    /** The arrival rate at the start of the phase for open models, else 0. */
    public double intendedRateAt(double secondsIntoPhase) {
        if (load instanceof ConstantRate c) {
            return c.perSecond();
        }
        if (load instanceof Ramp r) {
            double f = Math.min(1, Math.max(0, secondsIntoPhase / (durationNanos / 1e9)));
            return r.from() + (r.to() - r.from()) * f;
        }
        return 0;
    }
}
