package dev.loadleak.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory series from elsewhere, for {@code loadleak leak}: a CSV of {@code time,bytes} (time in
 * seconds, epoch seconds or milliseconds, or ISO-8601; a header line is optional), or the JSON of a
 * Prometheus range query ({@code /api/v1/query_range}: one series per result). Times are returned
 * as seconds from the first sample.
 */
public final class SeriesFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One series read from a file. */
    public record Named(String name, double[] seconds, double[] values) {
    }

    private SeriesFiles() {
    }

    /** @throws IllegalArgumentException naming the line or field that is wrong */
    public static List<Named> parse(String fileName, String text) {
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{")) {
            return prometheusRange(fileName, trimmed);
        }
        return List.of(csv(fileName, text));
    }

    static Named csv(String fileName, String text) {
        List<double[]> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s*[,;\\t]\\s*");
            if (f.length < 2) {
                throw new IllegalArgumentException(fileName + ":" + (i + 1) + ": expected time,bytes, got \"" + abbreviate(line) + "\"");
            }
            double t;
            double v;
            try {
                t = time(f[0]);
                v = Double.parseDouble(f[1]);
            } catch (IllegalArgumentException e) {
                if (rows.isEmpty() && i == firstContentLine(lines)) {
                    continue; // a header line
                }
                throw new IllegalArgumentException(fileName + ":" + (i + 1) + ": expected time,bytes with numbers, got \""
                        + abbreviate(line) + "\"");
            }
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException(fileName + ":" + (i + 1) + ": bytes must be a number >= 0, was " + f[1]);
            }
            rows.add(new double[] {t, v});
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(fileName + ": no samples (expected lines of time,bytes)");
        }
        return toNamed(fileName, rows);
    }

    private static int firstContentLine(String[] lines) {
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                return i;
            }
        }
        return -1;
    }

    static double time(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty time");
        }
        if (Character.isDigit(t.charAt(0)) && t.contains("T") || t.contains("-") && t.length() > 10) {
            try {
                return Instant.parse(t).toEpochMilli() / 1000.0;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a time: " + t);
            }
        }
        double d = Double.parseDouble(t);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not a time: " + t);
        }
        return d > 1e11 ? d / 1000.0 : d; // epoch milliseconds
    }

    static List<Named> prometheusRange(String fileName, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(fileName + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode result = root.path("data").path("result");
        if (!result.isArray()) {
            throw new IllegalArgumentException(fileName + ": expected a Prometheus range query answer "
                    + "({\"data\": {\"result\": [{\"metric\": ..., \"values\": [[t, \"v\"], ...]}]}})");
        }
        List<Named> out = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            JsonNode series = result.get(i);
            JsonNode values = series.path("values");
            if (!values.isArray()) {
                throw new IllegalArgumentException(fileName + ": data.result[" + i + "].values is missing");
            }
            List<double[]> rows = new ArrayList<>();
            for (int j = 0; j < values.size(); j++) {
                JsonNode p = values.get(j);
                if (!p.isArray() || p.size() != 2) {
                    throw new IllegalArgumentException(fileName + ": data.result[" + i + "].values[" + j + "] is not [time, \"value\"]");
                }
                double v;
                try {
                    v = PrometheusText.parseValue(p.get(1).asText());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(fileName + ": data.result[" + i + "].values[" + j + "]: " + e.getMessage());
                }
                if (Double.isFinite(v) && p.get(0).isNumber()) {
                    rows.add(new double[] {p.get(0).asDouble(), v});
                } else if (!p.get(0).isNumber()) {
                    throw new IllegalArgumentException(fileName + ": data.result[" + i + "].values[" + j + "]: the time is not a number");
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            out.add(toNamed(label(series.path("metric"), i), rows));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(fileName + ": the range query returned no samples");
        }
        return out;
    }

    private static String label(JsonNode metric, int i) {
        if (!metric.isObject() || metric.isEmpty()) {
            return "series " + i;
        }
        String name = metric.path("__name__").asText("");
        StringBuilder sb = new StringBuilder(name);
        List<String> labels = new ArrayList<>();
        metric.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("__name__")) {
                labels.add(e.getKey() + "=\"" + e.getValue().asText() + "\"");
            }
        });
        if (!labels.isEmpty()) {
            sb.append('{').append(String.join(",", labels)).append('}');
        }
        return sb.length() == 0 ? "series " + i : sb.toString();
    }

    private static Named toNamed(String name, List<double[]> rows) {
        rows.sort((a, b) -> Double.compare(a[0], b[0]));
        double t0 = rows.get(0)[0];
        double[] t = new double[rows.size()];
        double[] v = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            t[i] = rows.get(i)[0] - t0;
            v[i] = rows.get(i)[1];
        }
        return new Named(name, t, v);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
