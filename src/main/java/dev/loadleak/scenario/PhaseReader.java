package dev.loadleak.scenario;

import java.util.Set;

/** Reads one entry of {@code phases}: exactly one of rate (constant or ramp), concurrency, max. */
final class PhaseReader {
    static final Set<String> KEYS = Set.of("name", "duration", "rate", "arrival", "concurrency", "think", "max",
            "warmup");
    static final long ONE_WEEK_NANOS = 7L * 24 * 3600 * 1_000_000_000L;
    static final int MAX_USERS = 100_000;

    private final Validation v;
    private final int maxConnections;
    private final boolean allowLong;

    PhaseReader(Validation v, int maxConnections, boolean allowLong) {
        this.v = v;
        this.maxConnections = maxConnections;
        this.allowLong = allowLong;
    }

    Phase read(Node n, String path, int index) {
        if (!v.expectMap(n, path)) {
            return null;
        }
        v.checkKeys(n, path, KEYS);
        String name = v.optionalText(n, "name", path, "phase-" + (index + 1));
        Long duration = v.required(n, "duration", path, "how long the phase lasts, e.g. 30s or 10m", this::duration);
        Boolean warmup = v.optionalBoolean(n, "warmup", path);
        int models = (n.get("rate") != null ? 1 : 0) + (n.get("concurrency") != null ? 1 : 0)
                + (n.get("max") != null ? 1 : 0);
        if (models != 1) {
            v.problem(n, path, models == 0 ? "says no load model" : "says more than one load model",
                    "give exactly one of: rate: 50/s (open), rate: {from: 10/s, to: 200/s} (ramp), "
                            + "concurrency: 20 with think: 1s (closed), max: true (as fast as connections allow)");
            return null;
        }
        Phase.Load load = null;
        if (n.get("rate") != null) {
            load = rate(n, path);
        } else if (n.get("concurrency") != null) {
            Integer users = v.optional(n, "concurrency", path, c -> {
                int u = Validation.parseInt(c.text(), "concurrency");
                if (u < 1 || u > MAX_USERS) {
                    throw new IllegalArgumentException("must be between 1 and " + MAX_USERS + ", was " + u);
                }
                return u;
            });
            Long think = v.optional(n, "think", path, t -> Units.parseDurationNanos(t.text()));
            load = users == null ? null : new Phase.Closed(users, think == null ? 0 : think);
        } else {
            Boolean max = v.optionalBoolean(n, "max", path);
            if (Boolean.FALSE.equals(max)) {
                v.problem(n.get("max"), path + ".max", "max: false is not a load model", "write max: true, or use rate");
            }
            load = Boolean.TRUE.equals(max) ? new Phase.Max(maxConnections) : null;
        }
        if (n.get("think") != null && !(load instanceof Phase.Closed)) {
            v.problem(n.get("think"), path + ".think", "think applies to closed phases (concurrency) only", null);
        }
        if (n.get("arrival") != null && !(load instanceof Phase.ConstantRate || load instanceof Phase.Ramp)) {
            v.problem(n.get("arrival"), path + ".arrival", "arrival applies to rate phases only", null);
        }
        if (name == null || duration == null || load == null) {
            return null;
        }
        return new Phase(name, duration, load, Boolean.TRUE.equals(warmup));
    }

    private Long duration(Node d) {
        long nanos = Units.parseDurationNanos(d.text());
        if (nanos <= 0) {
            throw new IllegalArgumentException("must be more than 0; write e.g. 30s");
        }
        if (nanos > ONE_WEEK_NANOS && !allowLong) {
            throw new IllegalArgumentException("is longer than a week; pass --allow-long if you mean it");
        }
        return nanos;
    }

    private Phase.Load rate(Node n, String path) {
        Boolean poisson = v.optional(n, "arrival", path, a -> {
            switch (a.text().trim()) {
                case "poisson": return true;
                case "constant": case "uniform": return false;
                default: throw new IllegalArgumentException("\"" + a.text() + "\" is not an arrival; write constant or poisson");
            }
        });
        boolean p = Boolean.TRUE.equals(poisson);
        Node r = n.get("rate");
        String rp = path + ".rate";
        if (r.kind() == Node.Kind.MAP) {
            v.checkKeys(r, rp, Set.of("from", "to"));
            Double from = v.required(r, "from", rp, "the rate at the start, e.g. 10/s", this::rateValue);
            Double to = v.required(r, "to", rp, "the rate at the end, e.g. 200/s", this::rateValue);
            if (from == null || to == null) {
                return null;
            }
            if (from == 0 && to == 0) {
                v.problem(r, rp, "a ramp from 0/s to 0/s sends nothing", "make from or to more than 0/s");
                return null;
            }
            return new Phase.Ramp(from, to, p);
        }
        Double rate = v.optional(n, "rate", path, x -> {
            double d = rateValue(x);
            if (d <= 0) {
                throw new IllegalArgumentException("must be more than 0/s; write e.g. 50/s or 0.5/s");
            }
            return d;
        });
        return rate == null ? null : new Phase.ConstantRate(rate, p);
    }

    private Double rateValue(Node x) {
        double d = Units.parseRatePerSecond(x.text());
        if (d > 1_000_000) {
            throw new IllegalArgumentException("more than 1000000/s is beyond what one loadleak process sends; shard the load");
        }
        return d;
    }
}
