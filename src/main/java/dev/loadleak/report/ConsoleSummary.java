package dev.loadleak.report;

import dev.loadleak.analysis.RunResult;
import dev.loadleak.metrics.Stats;
import dev.loadleak.scenario.Units;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The end-of-run table: per request and overall, corrected latency with uncorrected beneath. */
public final class ConsoleSummary {
    private static final String HEAD = "%-22s %8s %9s %7s %8s %8s %8s %8s %8s %8s%n";

    private ConsoleSummary() {
    }

    public static void render(RunResult r, PrintWriter out) {
        out.printf(Locale.ROOT, "%nloadleak: %s -> %s, %s after %.1f s%n", r.scenario().name(), r.scenario().target(),
                r.status(), r.durationSeconds());
        out.printf(Locale.ROOT, HEAD, "request", "count", "req/s", "err %", "p50", "p90", "p95", "p99", "p99.9", "max");
        for (Map.Entry<String, Stats> e : r.requests().entrySet()) {
            rows(out, e.getKey(), e.getValue());
        }
        rows(out, "ALL", r.overall());
        Stats o = r.overall();
        out.printf(Locale.ROOT, "latency is corrected for coordinated omission (from the intended send time);"
                + " 'uncorrected' rows time from the actual send%n");
        out.printf(Locale.ROOT, "requests: %d of %d intended, %d ok, %d failed%s%n", o.requests(), r.intendedRequests(),
                o.successes(), o.errors(), errorText(r));
        out.printf(Locale.ROOT, "late sends (> 10 ms after intended): %d%s%n", o.lateSends(),
                r.sendLagMicros() == null ? "" : ", send lag p99 " + Units.formatMicros(r.sendLagMicros().p99())
                        + ", max " + Units.formatMicros(r.sendLagMicros().max()));
        if (o.requests() > 0 && o.successes() == 0) {
            out.printf(Locale.ROOT, "all %d requests failed%s: no latency to report%n", o.requests(),
                    o.errorsByKind().isEmpty() ? "" : ": " + String.join(", ", o.errorsByKind().keySet()));
        }
        out.flush();
    }

    private static String errorText(RunResult r) {
        if (r.overall().errorsByKind().isEmpty()) {
            return "";
        }
        return " (" + r.overall().errorsByKind().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()
                        + (r.errorSamples().containsKey(e.getKey()) ? ": " + r.errorSamples().get(e.getKey()) : ""))
                .collect(Collectors.joining("; ")) + ")";
    }

    private static void rows(PrintWriter out, String name, Stats s) {
        String pct = String.format(Locale.ROOT, "%.2f", s.errorRate() * 100);
        String rate = String.format(Locale.ROOT, "%.1f", s.throughputPerSecond());
        String label = name.length() > 22 ? name.substring(0, 21) + "…" : name;
        if (s.latencyMicros() == null) {
            out.printf(Locale.ROOT, HEAD, label, s.requests(), rate, pct, "-", "-", "-", "-", "-", "-");
            return;
        }
        Stats.Summary c = s.latencyMicros().corrected();
        Stats.Summary u = s.latencyMicros().uncorrected();
        out.printf(Locale.ROOT, HEAD, label, s.requests(), rate, pct, f(c.p50()), f(c.p90()), f(c.p95()), f(c.p99()),
                f(c.p999()), f(c.max()));
        out.printf(Locale.ROOT, HEAD, "  uncorrected", "", "", "", f(u.p50()), f(u.p90()), f(u.p95()), f(u.p99()),
                f(u.p999()), f(u.max()));
    }

    private static String f(long micros) {
        return Units.formatMicros(micros);
    }
}
