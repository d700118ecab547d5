package dev.loadleak.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the units written in scenarios and flags: durations ({@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h30m}), rates ({@code 200/s}, {@code 50/min}, {@code 900/h}) and sizes ({@code 2KB}, {@code 1.5MB}).
 * Each returns the value or throws {@link IllegalArgumentException} whose message is the hint.
 */
public final class Units {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|µs|s|m|h)");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*(s|sec|min|m|h|hour)");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|KiB|MB|MiB|GB|GiB)?", Pattern.CASE_INSENSITIVE);

    private Units() {
    }

    /** Nanoseconds in a duration such as {@code 1h30m}, {@code 250ms} or {@code 2.5s}. */
    public static long parseDurationNanos(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration; write e.g. 30s, 500ms or 5m");
        }
        Matcher m = DURATION_PART.matcher(s);
        int pos = 0;
        double nanos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("\"" + text + "\" is not a duration; write e.g. 30s, 500ms, 5m or 1h30m");
            }
            double v = Double.parseDouble(m.group(1));
            switch (m.group(2)) {
                case "us": case "µs": nanos += v * 1e3; break;
                case "ms": nanos += v * 1e6; break;
                case "s": nanos += v * 1e9; break;
                case "m": nanos += v * 60e9; break;
                default: nanos += v * 3600e9; break;
            }
            pos = m.end();
        }
        return Math.round(nanos);
    }

    /** Requests per second in a rate such as {@code 200/s}, {@code 0.5/s}, {@code 50/min} (or {@code /m}) or {@code 900/h}. */
    public static double parseRatePerSecond(String text) {
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a rate; write requests per second, e.g. 50/s or "
                    + "0.83/s (or per minute or hour: 50/min, 3000/h)");
        }
        return Double.parseDouble(m.group(1)) / perSecondDivisor(m.group(2));
    }

    /** How many seconds the unit of a rate is: 1 for /s, 60 for /min and /m, 3600 for /h. */
    public static double perSecondDivisor(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "min", "m" -> 60;
            case "h", "hour" -> 3600;
            default -> 1;
        };
    }

    /** Bytes in a size such as {@code 2KB} (1024 bytes), {@code 1.5MB} or {@code 512}. */
    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size; write e.g. 512B, 2KB or 10MB");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        double mult;
        switch (unit) {
            case "KB": case "KIB": mult = 1024; break;
            case "MB": case "MIB": mult = 1024 * 1024; break;
            case "GB": case "GIB": mult = 1024L * 1024 * 1024; break;
            default: mult = 1; break;
        }
        return Math.round(v * mult);
    }

    /** A human duration for output: {@code 850µs}, {@code 12.3ms}, {@code 1.02s}. */
    public static String formatMicros(double micros) {
        if (micros < 1000) {
            return String.format(Locale.ROOT, "%.0fµs", micros);
        }
        if (micros < 10_000) {
            return String.format(Locale.ROOT, "%.2fms", micros / 1000);
        }
        if (micros < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fms", micros / 1000);
        }
        return String.format(Locale.ROOT, "%.2fs", micros / 1e6);
    }
}
