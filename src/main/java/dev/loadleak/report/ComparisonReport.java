package dev.loadleak.report;

import dev.loadleak.analysis.Comparison;
import dev.loadleak.scenario.Units;
import java.util.Locale;

/** A comparison with its baseline as text, Markdown or JUnit XML. */
public final class ComparisonReport {
    private ComparisonReport() {
    }

    public static String render(Comparison.Result c, String format) {
        switch (format) {
            case "md": return markdown(c);
            case "junit": return junit(c);
            default: return text(c);
        }
    }

    static String value(String metric, double v) {
        if (metric.startsWith("p")) {
            return Units.formatMicros(v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String verdict(Comparison.Result c) {
        return c.regression() ? "REGRESSION: " + String.join("; ", c.reasons())
                : "no regression (a change counts only when beyond tolerance and significant, p < " + Comparison.ALPHA + ")";
    }

    static String text(Comparison.Result c) {
        StringBuilder b = new StringBuilder();
        b.append("baseline: ").append(c.baseline()).append("\ncurrent:  ").append(c.current()).append('\n');
        b.append(String.format(Locale.ROOT, "%-22s %-18s %10s %10s %12s %8s  %s%n", "scope", "metric", "baseline", "current",
                "change", "p", ""));
        for (Comparison.Delta d : c.deltas()) {
            b.append(String.format(Locale.ROOT, "%-22s %-18s %10s %10s %12s %8.4f  %s%n", abbreviate(d.scope()), d.metric(),
                    value(d.metric(), d.baseline()), value(d.metric(), d.current()), d.change(), d.pValue(),
                    d.regression() ? "REGRESSION" : d.beyondTolerance() ? "beyond tolerance, not significant"
                            : d.significant() ? "significant, within tolerance" : ""));
        }
        b.append(verdict(c)).append('\n');
        return b.toString();
    }

    static String markdown(Comparison.Result c) {
        StringBuilder b = new StringBuilder();
        b.append("### ").append(c.regression() ? "❌ loadleak: performance regression" : "✅ loadleak: no regression")
                .append("\n\n| scope | metric | baseline | current | change | p | |\n|---|---|---:|---:|---:|---:|---|\n");
        for (Comparison.Delta d : c.deltas()) {
            b.append("| ").append(d.scope().replace("|", "\\|")).append(" | ").append(d.metric()).append(" | ")
                    .append(value(d.metric(), d.baseline())).append(" | ").append(value(d.metric(), d.current())).append(" | ")
                    .append(d.change()).append(" | ").append(String.format(Locale.ROOT, "%.4f", d.pValue())).append(" | ")
                    .append(d.regression() ? "❌ regression" : "").append(" |\n");
        }
        b.append('\n').append(verdict(c)).append('\n');
        return b.toString();
    }

    static String junit(Comparison.Result c) {
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        for (Comparison.Delta d : c.deltas()) {
            cases.append("  <testcase classname='loadleak.compare.").append(Html.esc(d.scope())).append("' name='")
                    .append(Html.esc(d.metric())).append("'>");
            if (d.regression()) {
                failures++;
                String msg = String.format(Locale.ROOT, "%s %s regressed: baseline %s, current %s (%s, p = %.4f)", d.scope(),
                        d.metric(), value(d.metric(), d.baseline()), value(d.metric(), d.current()), d.change(), d.pValue());
                cases.append("<failure message='").append(Html.esc(msg)).append("'>").append(Html.esc(msg)).append("</failure>");
            }
            cases.append("</testcase>\n");
        }
        return "<?xml version='1.0' encoding='UTF-8'?>\n<testsuites name='loadleak compare'>\n"
                + "<testsuite name='loadleak.compare' tests='" + c.deltas().size() + "' failures='" + failures
                + "' errors='0' skipped='0'>\n" + cases + "</testsuite>\n</testsuites>\n";
    }

    private static String abbreviate(String s) {
        return s.length() > 22 ? s.substring(0, 21) + "…" : s;
    }
}
