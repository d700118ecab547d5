package dev.loadleak.metrics;

import dev.loadleak.scenario.Printable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the Prometheus text exposition format (0.0.4): {@code # HELP} / {@code # TYPE} and
 * other comments are skipped; label values may hold escaped {@code \\}, {@code \"} and {@code \n};
 * values are floats, or NaN, Inf, +Inf, -Inf, Infinity in any letter case, as Prometheus reads them
 * (it uses Go's {@code strconv.ParseFloat}; prom-client 15 writes {@code Nan}); an optional
 * timestamp follows. Histogram and summary series ({@code _bucket}, {@code _sum}, {@code _count},
 * quantiles) are ordinary samples here. {@link #parse} rejects a page with a malformed line, naming
 * it; {@link #parsePage} keeps the good lines and lists the malformed ones, so that one bad series
 * the source did not ask for does not void the scrape. (The Prometheus Java client writes these
 * formats but has no parser for them, so the parser is ours, and fuzzed in {@code ParserFuzzTest}.)
 */
public final class PrometheusText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {
    }

    /** A line that is not in the format: its number, the metric name it starts with (or ""), and why. */
    public record Malformed(int line, String name, String problem) {
        /** "line 51 is not Prometheus text format: …: the line" */
        public String describe() {
            return "line " + line + " is not Prometheus text format: " + problem;
        }
    }

    /** The samples of a page and the lines that could not be read. */
    public record Page(List<Sample> samples, List<Malformed> malformed) {
        /** The malformed lines that belong to the series {@code name}. */
        public List<Malformed> malformedIn(String name) {
            return malformed.stream().filter(m -> m.name().equals(name)).toList();
        }
    }

    private PrometheusText() {
    }

    /** Reads every well-formed line; the malformed ones are listed, not thrown. */
    public static Page parsePage(String text) {
        List<Sample> out = new ArrayList<>();
        List<Malformed> bad = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                out.add(parseLine(trimmed));
            } catch (RuntimeException e) {
                bad.add(new Malformed(lineNo, leadingName(trimmed), e.getMessage() + ": " + abbreviate(trimmed)));
            }
        }
        return new Page(out, bad);
    }

    private static String leadingName(String line) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        return line.substring(0, i);
    }

    /** @throws IllegalArgumentException naming the line that is not in the format */
    public static List<Sample> parse(String text) {
        Page page = parsePage(text);
        if (!page.malformed().isEmpty()) {
            throw new IllegalArgumentException(page.malformed().get(0).describe());
        }
        return page.samples();
    }

    /**
     * The sum of every series named {@code name} whose labels include {@code labels}; null when no
     * series matches.
     */
    public static Double select(List<Sample> samples, String name, Map<String, String> labels) {
        double sum = 0;
        boolean any = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
                sum += s.value();
                any = true;
            }
        }
        return any ? sum : null;
    }

    private static Sample parseLine(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = line.substring(0, i);
        Map<String, String> labels = Collections.emptyMap();
        if (i < n && line.charAt(i) == '{') {
            labels = new LinkedHashMap<>();
            i = parseLabels(line, i + 1, labels);
        }
        String[] rest = line.substring(i).strip().split("\\s+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            throw new IllegalArgumentException("no value");
        }
        if (rest.length > 2) {
            throw new IllegalArgumentException("unexpected text after the value");
        }
        double value = parseValue(rest[0]);
        Long ts = rest.length == 2 ? Long.valueOf(rest[1]) : null;
        return new Sample(name, labels, value, ts);
    }

    private static int parseLabels(String line, int i, Map<String, String> labels) {
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
                i++;
            }
            if (i < n && line.charAt(i) == '}') {
                return i + 1;
            }
            int start = i;
            while (i < n && isNameChar(line.charAt(i), i == start) && line.charAt(i) != ':') {
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException("bad label name at column " + (i + 1));
            }
            String key = line.substring(start, i);
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= n || line.charAt(i) != '=') {
                throw new IllegalArgumentException("label " + key + " has no =");
            }
            i++;
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i >= n || line.charAt(i) != '"') {
                throw new IllegalArgumentException("label " + key + " value is not quoted");
            }
            i++;
            StringBuilder v = new StringBuilder();
            while (true) {
                if (i >= n) {
                    throw new IllegalArgumentException("label " + key + " value is not closed");
                }
                char c = line.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && i < n) {
                    char e = line.charAt(i++);
                    v.append(e == 'n' ? '\n' : e);
                } else {
                    v.append(c);
                }
            }
            labels.put(key, v.toString());
        }
    }

    static double parseValue(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "nan": case "+nan": case "-nan": return Double.NaN;
            case "+inf": case "inf": case "+infinity": case "infinity": return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
            default:
                // Java reads what Go does not: "Infinity" was handled above; type suffixes are not numbers there
                if (s.contains("Infinity") || s.contains("NaN") || s.endsWith("d") || s.endsWith("f") || s.endsWith("D")
                        || s.endsWith("F")) {
                    throw new IllegalArgumentException("\"" + s + "\" is not a value");
                }
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("\"" + abbreviate(s) + "\" is not a value");
                }
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || !first && c >= '0' && c <= '9';
    }

    private static String abbreviate(String s) {
        return Printable.excerpt(s, 77);
    }
}
