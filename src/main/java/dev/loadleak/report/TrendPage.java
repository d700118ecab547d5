package dev.loadleak.report;

import java.util.List;
import java.util.Locale;

/**
 * {@code history trend --format html}: one chart per metric across a scenario's runs (x: the run,
 * its ticks the commit or the date), each change point shaded with its before → after, values on
 * hover. The same look, chart code and hover script as report.html; no external file.
 */
public final class TrendPage {
    private static final String WORSE = "#f6d5d5";
    private static final String BETTER = "#d7ecd9";

    /** A change of a metric at run {@code run} (1-based): its label, and whether it is for the worse. */
    public record Mark(int run, String label, boolean worse) {
    }

    /** One metric: its name, unit, a value per run (NaN: none), and its changes. */
    public record Metric(String name, String unit, double[] values, List<Mark> marks) {
    }

    private TrendPage() {
    }

    /**
     * @param runLabels a label per run (its commit, else its date), oldest first
     */
    public static String render(String scenario, List<String> runLabels, List<Metric> metrics, String verdict) {
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'><title>loadleak trend: ")
                .append(Html.esc(scenario)).append("</title><style>").append(HtmlReport.CSS)
                .append("</style></head><body><h1>").append(Html.esc(scenario)).append(": ").append(runLabels.size())
                .append(" runs</h1><p class='verdict'>").append(Html.esc(verdict)).append("</p>");
        int n = runLabels.size();
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i + 1;
        }
        for (Metric m : metrics) {
            Svg svg = new Svg(m.name() + " by run", 900, 260).xRange(1, Math.max(2, n))
                    .xAxis("run", v -> {
                        int i = (int) Math.round(v) - 1;
                        return i >= 0 && i < n && Math.abs(v - Math.round(v)) < 1e-9 ? (i + 1) + " " + runLabels.get(i) : "";
                    })
                    .yAxis(m.unit(), Svg::fmt).xTicks(ticks(n));
            for (Mark k : m.marks()) {
                svg.shade(k.run() - 0.5, Math.min(n, k.run() + 0.5), k.label(), k.worse() ? WORSE : BETTER);
            }
            svg.line(m.name(), "#1f6feb", xs, m.values(), false).dots(m.name() + " (run)", "#1f6feb", xs, m.values());
            h.append("<section class='chart-box'>").append(svg.render()).append("</section>");
        }
        h.append("<div id='tip' role='tooltip' hidden></div><script>").append(Svg.HOVER_SCRIPT)
                .append("</script></body></html>\n");
        return h.toString();
    }

    /** At most 8 run ticks, evenly spread, always the first and the last. */
    private static double[] ticks(int n) {
        int count = Math.min(n, 8);
        double[] t = new double[count];
        for (int i = 0; i < count; i++) {
            t[i] = count == 1 ? 1 : 1 + Math.round((double) i * (n - 1) / (count - 1));
        }
        return t;
    }

    static String unitOf(String metric) {
        return switch (metric) {
            case "p50", "p95", "p99" -> "µs";
            case "throughput" -> "req/s";
            case "error_rate" -> "share";
            case "memory_growth" -> "MB/h";
            default -> metric.toLowerCase(Locale.ROOT);
        };
    }

    /** The unit a history metric is stored in. */
    public static String unit(String metric) {
        return unitOf(metric);
    }
}
