package dev.loadleak.scenario;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The criteria grammar (documented in scenarios/README.md):
 * <pre>
 *   criterion := metric [ "{" scope ("," scope)* "}" ] [ aggregate ] op number [ unit ]
 *   scope     := ("request" | "phase" | "kind" | "source" | "outcome" | "step" | "flow") "=" name
 *   aggregate := "max" | "min" | "mean" | "last"          (target metrics)
 *              | "p50" | "p90" | "p95" | "p99" | "p99.9" | "max" | "mean"   (iteration_duration)
 *   op        := "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "=="
 * </pre>
 * Unknown metrics, requests, phases, kinds and units are errors with a hint, never a criterion that
 * silently passes.
 */
public final class CriteriaParser {
    static final Set<String> LATENCY = Set.of("p50", "p90", "p95", "p99", "p99.9", "max", "mean");
    /** The engine's error kind labels (a test keeps this in step with engine.ErrorKind). */
    public static final Set<String> ERROR_KINDS = Set.of("connect", "timeout", "reset", "tls", "status_4xx",
            "status_5xx", "assertion", "body_too_large", "redirects", "other", "disconnect", "connect_error");
    static final Set<String> OTHER = Set.of("throughput", "error_rate", "errors", "late_sends", "memory_growth",
            "memory_max", "iteration_duration", "iteration_failure_rate");
    static final Set<String> ITERATION = Set.of("iteration_duration", "iteration_failure_rate");
    private static final Pattern SHAPE = Pattern.compile(
            "\\s*([A-Za-z][A-Za-z0-9_.:]*)\\s*(?:\\{([^}]*)\\})?\\s*(?:\\s(max|min|mean|last|p50|p90|p95|p99|p99\\.9)\\s*)?"
                    + "(<=|>=|==|<|>)\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)\\s*([A-Za-zµ%/]*)\\s*"
                    + "(\\(\\s*point\\s*\\))?\\s*");

    /** What a criterion may refer to. */
    public record Context(Set<String> requests, Set<String> phases, Set<String> memorySources, boolean hasPrometheus,
                          Set<String> flows) {
        public Context(Set<String> requests, Set<String> phases, Set<String> memorySources, boolean hasPrometheus) {
            this(requests, phases, memorySources, hasPrometheus, Set.of());
        }

        boolean hasMemory() {
            return !memorySources.isEmpty();
        }
    }

    private CriteriaParser() {
    }

    /** @throws IllegalArgumentException whose message says what is wrong and how to write it */
    public static Criterion parse(String text, Criterion.Level level, double weight, Context ctx) {
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a criterion; write METRIC[{scope}] OP VALUE, "
                    + "e.g. p95 < 500ms, error_rate < 2%, p99{request=list} < 800ms");
        }
        String metric = m.group(1);
        String base = metric.endsWith("_uncorrected") ? metric.substring(0, metric.length() - 12) : metric;
        boolean target = metric.startsWith("target.") && metric.length() > 7;
        if (base.equals("p999")) {
            base = "p99.9";
            metric = metric.replace("p999", "p99.9");
        }
        checkKnown(metric, base, target);
        Map<String, String> scope = scope(m.group(2), text);
        String request = scope.remove("request");
        String phase = scope.remove("phase");
        String kind = scope.remove("kind");
        String source = scope.remove("source");
        String outcome = scope.remove("outcome");
        String step = scope.remove("step");
        String flow = scope.remove("flow");
        if (!scope.isEmpty()) {
            throw new IllegalArgumentException("unknown scope " + scope.keySet() + " in \"" + text
                    + "\"; scope by request=NAME, phase=NAME, step=NAME, flow=NAME, (for latencies) outcome=error, "
                    + "(for errors) kind=KIND or (for memory) source=NAME");
        }
        if (step != null) {
            if (request != null || flow != null) {
                throw new IllegalArgumentException("step= names one step: not with request= or flow=, in \"" + text + "\"");
            }
            request = step(step, ctx);
        }
        checkFlow(base, flow, request != null || phase != null, ctx, text);
        boolean errorAnswers = checkOutcome(outcome, base, metric);
        checkScope(request, phase, kind, metric, ctx, text);
        String aggregate = m.group(3);
        if (base.equals("iteration_duration")) {
            if (aggregate == null || Set.of("min", "last").contains(aggregate)) {
                throw new IllegalArgumentException("iteration_duration needs a percentile: write e.g. "
                        + "\"iteration_duration{flow=NAME} p95 < 2s\" (p50, p90, p95, p99, p99.9, max or mean)");
            }
        } else {
            checkAggregate(metric, target, aggregate, request != null || phase != null, ctx);
        }
        checkMemory(base, source, request != null || phase != null, ctx);
        Criterion.Op op = op(m.group(4));
        double value = Double.parseDouble(m.group(5));
        String unit = m.group(6);
        double canonical = canonical(target ? "target" : base, value, unit, text);
        boolean point = m.group(7) != null;
        if (point && !base.equals("memory_growth")) {
            throw new IllegalArgumentException("(point) applies to memory_growth only, not " + base);
        }
        return new Criterion(level, text.trim(), metric, request, phase, kind, source, aggregate, op, canonical,
                unit, weight, point, errorAnswers, flow);
    }

    /** A request or a phase (not both) that the scenario has, and an error kind only on the errors metric. */
    private static void checkScope(String request, String phase, String kind, String metric, Context ctx, String text) {
        if (request != null && phase != null) {
            throw new IllegalArgumentException("scope by request or by phase, not both, in \"" + text + "\"");
        }
        if (request != null && !ctx.requests().contains(request)) {
            throw new IllegalArgumentException(unknown("request", request, ctx.requests()));
        }
        if (phase != null && !ctx.phases().contains(phase)) {
            throw new IllegalArgumentException(unknown("phase", phase, ctx.phases()));
        }
        if (kind != null && !metric.equals("errors")) {
            throw new IllegalArgumentException("kind= scopes the errors metric only");
        }
        if (kind != null && !ERROR_KINDS.contains(kind)) {
            throw new IllegalArgumentException(unknown("error kind", kind, ERROR_KINDS));
        }
    }

    /** The request of step {@code name}: FLOW.STEP, or a step name that only one flow has. */
    private static String step(String name, Context ctx) {
        if (ctx.requests().contains(name) && name.contains(".")) {
            return name;
        }
        java.util.List<String> matches = ctx.requests().stream().filter(r -> r.endsWith("." + name)).sorted().toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("step \"" + name + "\" is in several flows " + matches
                    + "; write step=FLOW.STEP");
        }
        Set<String> steps = new TreeSet<>();
        ctx.requests().stream().filter(r -> r.contains(".")).forEach(steps::add);
        throw new IllegalArgumentException(steps.isEmpty() ? "step= needs flows: in the scenario"
                : unknown("step", name, steps));
    }

    private static void checkFlow(String base, String flow, boolean scoped, Context ctx, String text) {
        if (ITERATION.contains(base)) {
            if (ctx.flows().isEmpty()) {
                throw new IllegalArgumentException(base + " needs flows: in the scenario");
            }
            if (scoped) {
                throw new IllegalArgumentException(base + " is about a flow's iterations: scope it by flow=NAME only");
            }
        }
        if (flow == null) {
            return;
        }
        if (!ctx.flows().contains(flow)) {
            throw new IllegalArgumentException(ctx.flows().isEmpty() ? "flow= needs flows: in the scenario"
                    : unknown("flow", flow, ctx.flows()));
        }
        if (scoped) {
            throw new IllegalArgumentException("scope by flow or by request/phase, not both, in \"" + text + "\"");
        }
        if (base.equals("memory_growth") || base.equals("memory_max") || base.equals("late_sends")) {
            throw new IllegalArgumentException("flow= does not scope " + base);
        }
    }

    /** {@code outcome=error}: the latency of the answers that arrived but failed; {@code success} is the default. */
    private static boolean checkOutcome(String outcome, String base, String metric) {
        if (outcome == null || outcome.equals("success")) {
            return false;
        }
        if (!outcome.equals("error")) {
            throw new IllegalArgumentException("outcome= is success (the default) or error, not \"" + outcome + "\"");
        }
        if (!LATENCY.contains(base) || metric.endsWith("_uncorrected")) {
            throw new IllegalArgumentException("outcome=error scopes the (corrected) latency metrics only, not " + metric);
        }
        return true;
    }

    private static void checkKnown(String metric, String base, boolean target) {
        if (metric.endsWith("_uncorrected") && !LATENCY.contains(base)) {
            throw new IllegalArgumentException("_uncorrected applies to latency metrics only, not " + base);
        }
        if (!target && !LATENCY.contains(base) && !OTHER.contains(metric)) {
            Set<String> all = new TreeSet<>(LATENCY);
            all.addAll(OTHER);
            String guess = DidYouMean.closest(metric, all);
            throw new IllegalArgumentException("unknown metric \"" + metric + "\""
                    + (guess != null ? "; did you mean \"" + guess + "\"?" : "; known: " + String.join(", ", all)
                    + ", and target.<metric> for a scraped target metric"));
        }
    }

    private static void checkAggregate(String metric, boolean target, String aggregate, boolean scoped, Context ctx) {
        if (target) {
            if (aggregate == null) {
                throw new IllegalArgumentException("a target metric needs an aggregate: write \"" + metric
                        + " max < VALUE\" (or min, mean, last)");
            }
            if (!ctx.hasPrometheus()) {
                throw new IllegalArgumentException(metric + " needs a prometheus source in the memory: block to scrape it");
            }
            if (scoped) {
                throw new IllegalArgumentException("a target metric is not scoped by request or phase");
            }
        } else if (aggregate != null) {
            throw new IllegalArgumentException("aggregates (" + aggregate + ") apply to target.<metric> criteria only");
        }
    }

    private static void checkMemory(String base, String source, boolean scoped, Context ctx) {
        boolean memoryMetric = base.equals("memory_growth") || base.equals("memory_max");
        if (source != null && !memoryMetric) {
            throw new IllegalArgumentException("source= scopes memory_growth and memory_max only");
        }
        if (source != null && !ctx.memorySources().contains(source)) {
            throw new IllegalArgumentException(unknown("memory source", source, ctx.memorySources()));
        }
        if (memoryMetric) {
            if (!ctx.hasMemory()) {
                throw new IllegalArgumentException(base + " needs a memory: block that says where the target's memory is read");
            }
            if (scoped) {
                throw new IllegalArgumentException(base + " is about the whole run: it takes no request or phase scope");
            }
        }
    }

    private static String unknown(String what, String name, Set<String> known) {
        String guess = DidYouMean.closest(name, known);
        return "unknown " + what + " \"" + name + "\""
                + (guess != null ? "; did you mean \"" + guess + "\"?" : "; known: " + String.join(", ", new TreeSet<>(known)));
    }

    private static Map<String, String> scope(String text, String whole) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException("scope \"" + part.trim() + "\" in \"" + whole + "\" is not KEY=VALUE");
            }
            String v = kv[1].trim();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            out.put(kv[0].trim(), v);
        }
        return out;
    }

    private static Criterion.Op op(String s) {
        for (Criterion.Op o : Criterion.Op.values()) {
            if (o.symbol.equals(s)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown operator " + s);
    }

    /** The threshold in the metric's canonical unit. */
    static double canonical(String base, double v, String unit, String text) {
        String u = unit.toLowerCase(Locale.ROOT);
        if (LATENCY.contains(base) || base.equals("iteration_duration")) {
            switch (u) {
                case "us": case "µs": return v;
                case "ms": return v * 1e3;
                case "s": return v * 1e6;
                default: throw new IllegalArgumentException("a latency needs a unit: write e.g. 500ms or 1.5s in \"" + text + "\"");
            }
        }
        switch (base) {
            case "iteration_failure_rate":
            case "error_rate":
                if (u.equals("%")) {
                    return v / 100;
                }
                if (u.isEmpty() && v <= 1) {
                    return v;
                }
                throw new IllegalArgumentException("error_rate is a percentage or a fraction: write 2% or 0.02 in \"" + text + "\"");
            case "throughput":
                if (u.isEmpty()) {
                    return v;
                }
                if (u.matches("/(s|sec|min|m|h|hour)")) {
                    return v / Units.perSecondDivisor(u.substring(1));
                }
                throw new IllegalArgumentException("throughput is in requests per second (or per minute or hour): write "
                        + "e.g. 25/s, 1500/min or 90000/h in \"" + text + "\"");
            case "errors":
            case "late_sends":
            case "target":
                if (u.isEmpty()) {
                    return v;
                }
                throw new IllegalArgumentException(base + " takes a plain number, not \"" + unit + "\", in \"" + text + "\"");
            case "memory_growth":
                switch (u) {
                    case "kb/h": return v / 1024;
                    case "mb/h": return v;
                    case "gb/h": return v * 1024;
                    default: throw new IllegalArgumentException("memory_growth is a rate: write e.g. 50MB/h in \"" + text + "\"");
                }
            case "memory_max":
                if (u.isEmpty()) {
                    throw new IllegalArgumentException("memory_max needs a unit: write e.g. 512MB in \"" + text + "\"");
                }
                return Units.parseBytes(v + unit);
            default:
                throw new IllegalArgumentException("unknown metric " + base);
        }
    }
}
