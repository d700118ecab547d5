package dev.loadleak.demoserver;

import dev.loadleak.scenario.Units;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the built-in target misbehaves, as set by {@code loadleak target} flags.
 *
 * @param latencyNanos       added to every API response
 * @param jitterNanos        the latency varies uniformly by ± this much
 * @param errorRate          this fraction of API requests answers 500 (0..1), spread evenly
 * @param leakBytes          bytes really retained per API request
 * @param stallNanos         the server stops answering for this long ...
 * @param stallPeriodNanos   ... at the end of every period of this length
 * @param items              media items 1..items exist
 * @param leakRoute          the one route that leaks, e.g. {@code POST /api/v1/media}; null: every API route
 * @param sessionLeak        every login's session is kept for ever (else the newest 1000 are)
 * @param leakPerConnection  bytes really retained for ever per Socket.IO connection to {@code /media}
 *                           (a listener or a room never released)
 */
public record TargetKnobs(long latencyNanos, long jitterNanos, double errorRate, long leakBytes, long stallNanos,
                          long stallPeriodNanos, int items, String leakRoute, boolean sessionLeak,
                          long leakPerConnection) {
    /** The API routes, as {@code --leak-route} names them. */
    public static final java.util.List<String> ROUTES = java.util.List.of("GET /api/v1/media", "GET /api/v1/media/{id}",
            "POST /api/v1/media", "DELETE /api/v1/media/{id}", "GET /api/v1/csrf/token", "POST /api/v1/auth/login",
            "GET /api/v1/auth/session");

    public TargetKnobs(long latencyNanos, long jitterNanos, double errorRate, long leakBytes, long stallNanos,
                       long stallPeriodNanos, int items) {
        this(latencyNanos, jitterNanos, errorRate, leakBytes, stallNanos, stallPeriodNanos, items, null, false, 0);
    }

    public TargetKnobs(long latencyNanos, long jitterNanos, double errorRate, long leakBytes, long stallNanos,
                       long stallPeriodNanos, int items, String leakRoute, boolean sessionLeak) {
        this(latencyNanos, jitterNanos, errorRate, leakBytes, stallNanos, stallPeriodNanos, items, leakRoute,
                sessionLeak, 0);
    }

    public TargetKnobs(long latencyNanos, long jitterNanos, double errorRate, long leakBytes, long stallNanos,
                       long stallPeriodNanos, int items, String leakRoute) {
        this(latencyNanos, jitterNanos, errorRate, leakBytes, stallNanos, stallPeriodNanos, items, leakRoute, false, 0);
    }

    private static final Pattern LATENCY = Pattern.compile("\\s*([^±+]+?)\\s*(?:(?:±|\\+-|\\+/-)\\s*(.+))?\\s*");
    private static final Pattern STALL = Pattern.compile("\\s*([^/]+)/([^/]+)\\s*");

    public static final TargetKnobs NONE = new TargetKnobs(0, 0, 0, 0, 0, 0, 500, null, false, 0);

    public TargetKnobs {
        if (errorRate < 0 || errorRate > 1) {
            throw new IllegalArgumentException("error rate must be between 0 and 1, was " + errorRate);
        }
        if (jitterNanos > latencyNanos) {
            throw new IllegalArgumentException("latency jitter must not exceed the latency");
        }
        if (stallNanos > 0 && stallNanos >= stallPeriodNanos) {
            throw new IllegalArgumentException("a stall must be shorter than its period, e.g. 1s/10s");
        }
        if (items < 1) {
            throw new IllegalArgumentException("items must be at least 1");
        }
        if (leakBytes < 0 || leakPerConnection < 0) {
            throw new IllegalArgumentException("leak must not be negative");
        }
        if (leakRoute != null && ROUTES.stream().noneMatch(leakRoute::equalsIgnoreCase)) {
            throw new IllegalArgumentException("--leak-route \"" + leakRoute + "\" is not a route; one of " + ROUTES);
        }
    }

    /** {@code 5ms} or {@code 5ms±2ms} (also {@code 5ms+-2ms}) to {latency, jitter} in ns. */
    public static long[] parseLatency(String text) {
        Matcher m = LATENCY.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a latency; write e.g. 5ms or 5ms±2ms");
        }
        long base = Units.parseDurationNanos(m.group(1));
        long jitter = m.group(2) == null ? 0 : Units.parseDurationNanos(m.group(2));
        return new long[] {base, jitter};
    }

    /** {@code 1s/10s} to {stall, period} in ns. */
    public static long[] parseStall(String text) {
        Matcher m = STALL.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a stall; write STALL/PERIOD, e.g. 1s/10s");
        }
        return new long[] {Units.parseDurationNanos(m.group(1)), Units.parseDurationNanos(m.group(2))};
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("items=" + items);
        if (latencyNanos > 0) {
            sb.append(", latency=").append(Units.formatMicros(latencyNanos / 1000.0));
            if (jitterNanos > 0) {
                sb.append('±').append(Units.formatMicros(jitterNanos / 1000.0));
            }
        }
        if (errorRate > 0) {
            sb.append(", error-rate=").append(errorRate);
        }
        if (leakBytes > 0) {
            sb.append(", leak=").append(leakBytes).append(" B/request").append(leakRoute == null ? ""
                    : " on " + leakRoute);
        }
        if (sessionLeak) {
            sb.append(", session-leak");
        }
        if (leakPerConnection > 0) {
            sb.append(", leak=").append(leakPerConnection).append(" B/Socket.IO connection");
        }
        if (stallNanos > 0) {
            sb.append(", stall=").append(Units.formatMicros(stallNanos / 1000.0)).append(" every ")
                    .append(Units.formatMicros(stallPeriodNanos / 1000.0));
        }
        return sb.toString();
    }
}
