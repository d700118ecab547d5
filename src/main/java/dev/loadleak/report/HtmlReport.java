package dev.loadleak.report;

import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.scenario.Units;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One self-contained HTML file (inline CSS and SVG, one small inline script for hover read-outs,
 * no CDN, no network): verdict and score, criteria, per-request and per-phase tables, charts
 * (throughput and errors, errors by kind, latency over time, connections and requests in flight,
 * the HDR percentile distribution, memory with its floor and trend), and the scenario. It prints
 * well (a print stylesheet). Formatting
 * only: everything shown comes from the {@link RunResult}. Timelines longer than 1500 s are
 * downsampled so a 24-hour run still renders fast.
 */
public final class HtmlReport {
    static final int MAX_POINTS = 1500;
    private static final String[] PHASE_COLORS = {"#e8eef7", "#f3efe4", "#e9f3e6", "#f4e6ee"};
    private static final String[] KIND_COLORS = {"#d1242f", "#bf8700", "#8250df", "#1f6feb", "#2da44e", "#57606a"};

    private HtmlReport() {
    }

    public static String render(RunResult r) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>loadleak: ")
                .append(Html.esc(r.provenance().scenario().name())).append("</title><style>").append(CSS).append("</style></head><body>");
        banner(h, r);
        criteria(h, r);
        requests(h, r);
        charts(h, r);
        memory(h, r);
        HtmlEvidence.classGrowth(h, r);
        HtmlEvidence.forcedGc(h, r);
        scenario(h, r);
        h.append("<footer>loadleak ").append(Html.esc(r.provenance().loadleakVersion())).append(" · result schema ")
                .append(r.schemaVersion()).append("</footer><div id='tip' role='tooltip' hidden></div><script>")
                .append(Svg.HOVER_SCRIPT).append("</script></body></html>\n");
        return h.toString();
    }

    private static void banner(StringBuilder h, RunResult r) {
        RunResult.ScenarioInfo scenario = r.provenance().scenario();
        String cls = switch (r.scoring().verdict()) {
            case GO -> "go";
            case CONDITIONAL_GO -> "cond";
            default -> "nogo";
        };
        h.append("<header class='").append(cls).append("'><h1>").append(Html.esc(r.scoring().verdict().display()))
                .append(" <span class='score'>score ").append(r.scoring().score()).append("/100</span></h1><p>")
                .append(Html.esc(scenario.name())).append(" → ").append(Html.esc(scenario.target())).append(" · ")
                .append(Html.esc(r.status().json())).append(" after ").append(String.format(Locale.ROOT, "%.1f s", r.load().durationSeconds()))
                .append(" · started ").append(Html.esc(r.provenance().startedAt())).append("</p>");
        if (!r.scoring().verdictReasons().isEmpty()) {
            h.append("<ul>");
            for (String reason : r.scoring().verdictReasons()) {
                h.append("<li>").append(Html.esc(reason)).append("</li>");
            }
            h.append("</ul>");
        }
        h.append("</header>");
        if (r.warnings() != null) {
            for (String w : r.warnings()) {
                h.append("<p class='warn'>⚠ ").append(Html.esc(w)).append("</p>");
            }
        }
    }

    private static void criteria(StringBuilder h, RunResult r) {
        h.append("<h2>Criteria</h2>");
        if (r.scoring().criteria().isEmpty()) {
            h.append("<p>No criteria were given.</p>");
            return;
        }
        h.append("<table><tr><th></th><th>level</th><th>criterion</th><th>actual</th><th>credit</th></tr>");
        for (CriterionResult c : r.scoring().criteria()) {
            h.append("<tr class='").append(c.outcomeOrPass().word()).append("'><td>").append(c.word())
                    .append("</td><td>").append(c.level().word()).append("</td><td><code>").append(Html.esc(c.expression()))
                    .append("</code></td><td>").append(Html.esc(c.actualText())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.2f", c.credit())).append("</td></tr>");
        }
        h.append("</table>");
    }

    private static void requests(StringBuilder h, RunResult r) {
        RunResult.Load load = r.load();
        h.append("<h2>Requests</h2><p class='note'>Latency corrected for coordinated omission (from each request's "
                + "intended send time); uncorrected beneath. Warm-up phases are not in the request rows.</p>");
        h.append("<table><tr><th>request</th><th>count</th><th>req/s</th><th>errors</th><th>p50</th><th>p90</th>"
                + "<th>p95</th><th>p99</th><th>p99.9</th><th>max</th><th>errors by kind</th></tr>");
        if (!HtmlFlows.stepRows(h, r)) {
            for (Map.Entry<String, Stats> e : load.requests().entrySet()) {
                row(h, e.getKey(), e.getValue());
            }
        }
        row(h, "ALL", load.overall());
        HtmlFlows.setupTable(h, r);
        h.append("</table><h2>Phases</h2><table><tr><th>phase</th><th>count</th><th>req/s</th><th>errors</th><th>p50</th>"
                + "<th>p90</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th><th>errors by kind</th></tr>");
        for (Map.Entry<String, Stats> e : load.phases().entrySet()) {
            row(h, e.getKey(), e.getValue());
        }
        h.append("</table>");
    }

    static void row(StringBuilder h, String name, Stats s) {
        h.append("<tr><td>").append(Html.esc(name)).append("</td><td>").append(s.requests()).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.1f", s.throughputPerSecond())).append("</td><td>")
                .append(String.format(Locale.ROOT, "%.2f %%", s.errorRate() * 100)).append("</td>");
        if (s.latencyMicros() == null) {
            h.append("<td colspan='6'>no successful request</td>");
        } else {
            Stats.Summary c = s.latencyMicros().corrected();
            Stats.Summary u = s.latencyMicros().uncorrected();
            for (long[] v : new long[][] {{c.p50(), u.p50()}, {c.p90(), u.p90()}, {c.p95(), u.p95()}, {c.p99(), u.p99()},
                {c.p999(), u.p999()}, {c.max(), u.max()}}) {
                h.append("<td>").append(Units.formatMicros(v[0])).append("<br><span class='u'>")
                        .append(Units.formatMicros(v[1])).append("</span></td>");
            }
        }
        h.append("<td>").append(Html.esc(s.errorsByKind().toString().replaceAll("[{}]", ""))).append("</td></tr>");
        Stats.Summary e = s.errorLatencyMicros();
        if (e != null) {
            h.append("<tr class='err'><td>&nbsp;&nbsp;errors answered in</td><td></td><td></td><td></td>");
            for (long v : new long[] {e.p50(), e.p90(), e.p95(), e.p99(), e.p999(), e.max()}) {
                h.append("<td>").append(Units.formatMicros(v)).append("</td>");
            }
            h.append("<td></td></tr>");
        }
    }

    private static void charts(StringBuilder h, RunResult r) {
        RunResult.Load load = r.load();
        List<TimelinePoint> t = TimelinePoint.downsample(load.timeline(), MAX_POINTS);
        if (t.isEmpty()) {
            return;
        }
        h.append("<h2>Over time</h2>");
        double[] x = t.stream().mapToDouble(TimelinePoint::second).toArray();
        double[] req = t.stream().mapToDouble(TimelinePoint::requests).toArray();
        double[] err = t.stream().mapToDouble(TimelinePoint::errors).toArray();
        Svg tp = new Svg("Throughput and errors per second", 960, 260).xAxis("seconds", Svg::fmt)
                .yAxis("requests/s", Svg::fmt);
        shadePhases(tp, r);
        tp.line("completed/s", "#1f6feb", x, req, false).line("errors/s", "#d1242f", x, err, false);
        h.append(tp.render());
        Svg lat = new Svg("Latency per second (corrected)", 960, 260).xAxis("seconds", Svg::fmt)
                .yAxis("ms", Svg::fmt);
        shadePhases(lat, r);
        lat.line("p50", "#2da44e", x, ms(t, TimelinePoint::p50), false)
                .line("p95", "#bf8700", x, ms(t, TimelinePoint::p95), false)
                .line("p99", "#d1242f", x, ms(t, TimelinePoint::p99), false);
        h.append(lat.render());
        errorsByKind(h, r, t, x);
        concurrency(h, r, t, x);
        hdr(h, load.overall());
    }

    /** One line per error kind that occurred, per second. */
    private static void errorsByKind(StringBuilder h, RunResult r, List<TimelinePoint> t, double[] x) {
        java.util.Set<String> kinds = new java.util.LinkedHashSet<>();
        t.forEach(p -> {
            if (p.errorsByKind() != null) {
                kinds.addAll(p.errorsByKind().keySet());
            }
        });
        if (kinds.isEmpty()) {
            return;
        }
        Svg svg = new Svg("Errors by kind per second", 960, 220).xAxis("seconds", Svg::fmt).yAxis("errors/s", Svg::fmt);
        shadePhases(svg, r);
        int i = 0;
        for (String k : kinds) {
            double[] y = t.stream().mapToDouble(p -> p.errorsByKind() == null ? 0
                    : p.errorsByKind().getOrDefault(k, 0L)).toArray();
            svg.line(k, KIND_COLORS[i++ % KIND_COLORS.length], x, y, false);
        }
        h.append(svg.render());
    }

    /** Open connections and requests in flight (closed model: users waiting for an answer) per second. */
    private static void concurrency(StringBuilder h, RunResult r, List<TimelinePoint> t, double[] x) {
        if (t.stream().allMatch(p -> p.inFlight() < 0 && p.connections() < 0 && p.realtimeOpen() == null)) {
            return;
        }
        Svg svg = new Svg("Open connections and requests in flight", 960, 220).xAxis("seconds", Svg::fmt)
                .yAxis("count", Svg::fmt);
        shadePhases(svg, r);
        if (t.stream().anyMatch(p -> p.connections() >= 0)) {
            svg.line("connections open", "#8250df", x, t.stream().mapToDouble(p -> p.connections() < 0 ? Double.NaN
                    : p.connections()).toArray(), false);
        }
        svg.line("in flight (users waiting)", "#1f6feb", x, t.stream().mapToDouble(p -> p.inFlight() < 0 ? Double.NaN
                : p.inFlight()).toArray(), true);
        if (t.stream().anyMatch(p -> p.realtimeOpen() != null)) {
            svg.line("WebSocket / Socket.IO connections open", "#bf3989", x, t.stream().mapToDouble(p ->
                    p.realtimeOpen() == null ? Double.NaN : p.realtimeOpen()).toArray(), false);
        }
        h.append(svg.render());
    }

    private static double[] ms(List<TimelinePoint> t, java.util.function.ToLongFunction<TimelinePoint> f) {
        return t.stream().mapToDouble(p -> p.requests() - p.errors() > 0 ? f.applyAsLong(p) / 1000.0 : Double.NaN).toArray();
    }

    private static void shadePhases(Svg svg, RunResult r) {
        double t0 = 0;
        int i = 0;
        for (RunResult.PhaseInfo p : r.provenance().scenario().phases()) {
            svg.shade(t0, t0 + p.durationSeconds(), p.name() + (p.warmup() ? " (warm-up)" : ""),
                    PHASE_COLORS[i++ % PHASE_COLORS.length]);
            t0 += p.durationSeconds();
        }
        svg.xRange(0, Math.max(t0, 1));
    }

    /** The percentile distribution on the classic log axis: x = log10(1 / (1 − p)). */
    private static void hdr(StringBuilder h, Stats s) {
        if (s.latencyMicros() == null) {
            return;
        }
        Histogram c = Stats.decode(s.histograms().corrected());
        Histogram u = Stats.decode(s.histograms().uncorrected());
        double maxX = Math.min(6, Math.log10(Math.max(10, c.getTotalCount())));
        int n = 120;
        double[] x = new double[n + 1];
        double[] yc = new double[n + 1];
        double[] yu = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            x[i] = maxX * i / n;
            double p = 100 * (1 - Math.pow(10, -x[i]));
            yc[i] = c.getValueAtPercentile(p) / 1000.0;
            yu[i] = u.getValueAtPercentile(p) / 1000.0;
        }
        double[] ticks = new double[(int) Math.floor(maxX) + 1];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = i;
        }
        Svg svg = new Svg("Latency by percentile (HdrHistogram)", 960, 300)
                .xAxis("percentile", HtmlReport::percentileLabel).xTicks(ticks).yAxis("ms", Svg::fmt)
                .line("corrected", "#d1242f", x, yc, false).line("uncorrected", "#1f6feb", x, yu, true);
        h.append(svg.render());
    }

    static String percentileLabel(double x) {
        if (x < 0.5) {
            return "0%";
        }
        double p = 100 * (1 - Math.pow(10, -x));
        String s = String.format(Locale.ROOT, "%." + Math.max(0, (int) Math.round(x) - 2) + "f%%", p);
        return s.replace("100%", "99.9999%");
    }

    private static void memory(StringBuilder h, RunResult r) {
        if (r.targetMemory().memory() == null || r.targetMemory().memory().isEmpty()) {
            return;
        }
        h.append("<h2 id='memory'>Memory of the target</h2>");
        for (MemorySeries m : r.targetMemory().memory()) {
            LeakAnalysis a = m.analysis();
            h.append("<h3>").append(Html.esc(m.source())).append(" <small>(").append(Html.esc(m.kind().toString()))
                    .append(m.postGc() ? ", post-GC" : "").append(")</small> — <span class='")
                    .append(a == null ? "" : a.verdict() == LeakFinding.LEAK ? "bad"
                            : a.verdict() == LeakFinding.NO_LEAK ? "ok" : "unsure").append("'>")
                    .append(a == null ? "not analysed" : a.verdict().name()).append("</span></h3>");
            if (a != null) {
                h.append("<p>").append(Html.esc(String.join("; ", a.reasons()))).append("</p>");
            }
            if (m.retained() != null) {
                h.append("<p>").append(Html.esc(ConsoleSummary.retainedText(m.retained()))).append("</p>");
            }
            for (String l : m.growthLines()) {
                h.append("<p>").append(Html.esc(l)).append("</p>");
            }
            double[] x = m.samples().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = m.samples().stream().mapToDouble(p -> p[1] / (1024 * 1024)).toArray();
            Svg svg = new Svg("Memory (MB) with its post-GC floor and trend", 960, 280).xAxis("seconds", Svg::fmt)
                    .yAxis("MB", Svg::fmt);
            shadePhases(svg, r);
            svg.yFloor(Arrays.stream(y).min().orElse(0) * 0.95);
            svg.line("samples", "#8c959f", x, y, false);
            if (a != null && !a.floor().isEmpty()) {
                double[] fx = a.floor().stream().mapToDouble(p -> p[0]).toArray();
                double[] fy = a.floor().stream().mapToDouble(p -> p[1] / (1024 * 1024)).toArray();
                trend(svg, fx, fy, a);
                svg.dots("post-GC floor", "#1f6feb", fx, fy);
            }
            h.append(svg.render());
            if (!m.gaps().isEmpty()) {
                h.append("<p class='note'>Gaps: ");
                for (MemorySeries.Gap g : m.gaps()) {
                    h.append(String.format(Locale.ROOT, "%.0f–%.0f s (%d): ", g.second(), g.until(), g.count()))
                            .append(Html.esc(g.reason())).append("; ");
                }
                h.append("</p>");
            }
        }
    }

    /** The Theil–Sen line through the floor's medians, and its 95 % band. */
    private static void trend(Svg svg, double[] fx, double[] fy, LeakAnalysis a) {
        double[] sx = fx.clone();
        double[] sy = fy.clone();
        Arrays.sort(sx);
        Arrays.sort(sy);
        double mx = sx[sx.length / 2];
        double my = sy[sy.length / 2];
        double perSecond = 1.0 / 3600;
        double[] xs = {fx[0], fx[fx.length - 1]};
        double[] mid = new double[2];
        double[] lo = new double[2];
        double[] hi = new double[2];
        for (int i = 0; i < 2; i++) {
            double dx = xs[i] - mx;
            mid[i] = my + a.slopeMBPerHour() * perSecond * dx;
            double l = my + a.ci95MBPerHour()[0] * perSecond * dx;
            double u = my + a.ci95MBPerHour()[1] * perSecond * dx;
            lo[i] = Math.min(l, u);
            hi[i] = Math.max(l, u);
        }
        svg.band("95 % CI", "#bf8700", xs, lo, hi);
        svg.line(String.format(Locale.ROOT, "trend %.1f MB/h", a.slopeMBPerHour()), "#bf8700", xs, mid, true);
    }

    private static void scenario(StringBuilder h, RunResult r) {
        RunResult.Load load = r.load();
        RunResult.ScenarioInfo scenario = r.provenance().scenario();
        h.append("<h2>Scenario and environment</h2><table>");
        kv(h, "scenario", scenario.name() + " (" + scenario.file() + ")");
        kv(h, "target", scenario.target());
        for (RunResult.PhaseInfo p : scenario.phases()) {
            kv(h, "phase " + p.name(), String.format(Locale.ROOT, "%s for %.0f s%s; latency %s", p.model(), p.durationSeconds(),
                    p.warmup() ? " (warm-up, not scored)" : "", p.latencyLabel()));
        }
        kv(h, "requests", String.join(", ", scenario.requests()));
        kv(h, "requests intended (open phases)", Long.toString(load.intendedRequests()));
        if (load.sendLagMicros() != null) {
            kv(h, "send lag", "p50 " + Units.formatMicros(load.sendLagMicros().p50()) + ", p99 "
                    + Units.formatMicros(load.sendLagMicros().p99()) + ", max " + Units.formatMicros(load.sendLagMicros().max())
                    + "; late sends " + load.overall().lateSends());
        }
        load.errorSamples().forEach((k, v) -> kv(h, "first " + k + " error", v));
        kv(h, "started", r.provenance().startedAt());
        kv(h, "loadleak", r.provenance().loadleakVersion());
        h.append("</table>");
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(Html.esc(k)).append("</th><td>").append(Html.esc(v)).append("</td></tr>");
    }

    static final String CSS = "body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;"
            + "max-width:1000px;padding:0 16px 32px;color:#1f2328}header{padding:14px 18px;border-radius:8px;margin:16px 0;"
            + "color:#fff}header.go{background:#1a7f37}header.cond{background:#9a6700}header.nogo{background:#cf222e}"
            + "header h1{margin:0;font-size:28px}header p{margin:4px 0}.score{font-size:16px;font-weight:normal;opacity:.9}"
            + "table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{border-bottom:1px solid #d0d7de;"
            + "padding:4px 6px;text-align:left;vertical-align:top}tr.pass td:first-child{color:#1a7f37;font-weight:600}"
            + "tr.fail td:first-child{color:#cf222e;font-weight:600}tr.inconclusive td:first-child{color:#9a6700;font-weight:600}.u{color:#57606a;font-size:12px}.note{color:#57606a}"
            + "svg{display:block;margin:8px 0;max-width:100%;height:auto}svg .title{font-weight:600;font-size:13px}"
            + "svg .tick,svg .small{font-size:11px;fill:#57606a}svg .grid{stroke:#eaeef2}svg .axis{stroke:#8c959f}"
            + "#tip{position:absolute;background:#1f2328;color:#fff;font-size:12px;padding:4px 8px;border-radius:4px;"
            + "white-space:pre;pointer-events:none;z-index:10}svg .guide{stroke:#57606a;stroke-dasharray:3,3}"
            + "@media print{#tip{display:none}body{max-width:none;font-size:12px}svg,table{break-inside:avoid}"
            + "header{print-color-adjust:exact;-webkit-print-color-adjust:exact}h2{break-after:avoid}}"
            + ".bad{color:#cf222e}.ok{color:#1a7f37}.unsure{color:#9a6700}.warn{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:6px}footer{color:#57606a;margin-top:24px;font-size:12px}";
}
