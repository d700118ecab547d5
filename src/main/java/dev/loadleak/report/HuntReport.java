package dev.loadleak.report;

import dev.loadleak.analysis.HuntResult;
import dev.loadleak.result.HeapGrowth;
import java.util.Locale;

/** {@code loadleak hunt}'s ranking, for the console, summary.md and report.html. Formatting only. */
public final class HuntReport {
    private HuntReport() {
    }

    public static String text(HuntResult h) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%nloadleak hunt: %s -> %s, each request alone at "
                + "%.0f/s for %.0f s%n", h.scenario(), h.target(), h.ratePerSecond(), h.segmentSeconds()));
        b.append(String.format(Locale.ROOT, "%-4s %-24s %-13s %28s %30s%n", "rank", "request", "verdict",
                "retained per " + per(h) + " (95 % CI)", "floor MB/h (95 % CI)"));
        int rank = 1;
        for (HuntResult.Suspect s : h.ranking()) {
            b.append(String.format(Locale.ROOT, "%-4d %-24s %-13s %28s %30s%n", rank++, s.request(),
                    s.verdict() == null ? "-" : s.verdict(), retained(s), slope(s)));
        }
        if (h.ranking().stream().anyMatch(HuntResult.Suspect::exact)) {
            b.append("measured from forced collections at each segment's start and end (forceGc)\n");
        }
        for (HuntResult.Suspect s : h.ranking()) {
            if (s.topGrowth() != null) {
                b.append(String.format(Locale.ROOT, "  %s: grew most: %s%n", s.request(), grew(s.topGrowth())));
            }
        }
        return b.append("conclusion: ").append(h.conclusion()).append('\n').toString();
    }

    public static String markdown(HuntResult h) {
        StringBuilder m = new StringBuilder("### loadleak hunt: ").append(h.scenario()).append("\n\n")
                .append(h.conclusion()).append("\n\n| rank | request | verdict | retained per request | floor MB/h "
                        + "| measured by | grew most |\n|---:|---|---|---|---|---|---|\n");
        int rank = 1;
        for (HuntResult.Suspect s : h.ranking()) {
            m.append("| ").append(rank++).append(" | `").append(s.request()).append("` | ")
                    .append(s.verdict() == null ? "-" : s.verdict()).append(" | ").append(retained(s)).append(" | ")
                    .append(slope(s)).append(" | ").append(measured(s)).append(" | ")
                    .append(s.topGrowth() == null ? "-" : "`" + grew(s.topGrowth()) + "`").append(" |\n");
        }
        return m.toString();
    }

    public static String html(HuntResult h) {
        StringBuilder t = new StringBuilder("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>loadleak hunt: ")
                .append(Html.esc(h.scenario())).append("</title><style>body{font:14px/1.45 system-ui,sans-serif;"
                        + "max-width:1000px;margin:0 auto;padding:16px}table{border-collapse:collapse;width:100%}"
                        + "th,td{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left}.LEAK{color:#cf222e;"
                        + "font-weight:600}.NO_LEAK{color:#1a7f37}.INCONCLUSIVE{color:#9a6700}</style></head><body>")
                .append("<h1>Which endpoint leaks</h1><p><strong>").append(Html.esc(h.conclusion())).append("</strong></p>")
                .append(String.format(Locale.ROOT, "<p>%s → %s: each request alone at %.0f/s for %.0f s.</p>",
                        Html.esc(h.scenario()), Html.esc(h.target()), h.ratePerSecond(), h.segmentSeconds()))
                .append("<table><tr><th>rank</th><th>request</th><th>verdict</th><th>retained per " + per(h) + "</th>"
                        + "<th>floor MB/h</th><th>measured by</th><th>grew most</th><th>why</th><th>segment</th></tr>");
        int rank = 1;
        for (HuntResult.Suspect s : h.ranking()) {
            String v = s.verdict() == null ? "-" : s.verdict().name();
            t.append("<tr><td>").append(rank++).append("</td><td><code>").append(Html.esc(s.request()))
                    .append("</code></td><td class='").append(v).append("'>").append(v).append("</td><td>")
                    .append(Html.esc(retained(s))).append("</td><td>").append(Html.esc(slope(s))).append("</td><td>")
                    .append(Html.esc(measured(s))).append("</td><td>")
                    .append(Html.esc(s.topGrowth() == null ? "-" : grew(s.topGrowth()))).append("</td><td>")
                    .append(Html.esc(String.join("; ", s.reasons()))).append("</td><td>")
                    .append(Html.esc(s.resultFile())).append("</td></tr>");
        }
        return t.append("</table></body></html>\n").toString();
    }

    /** What the bytes retained are per: "request", or "iteration" with flows. */
    private static String per(HuntResult h) {
        return h.ranking().stream().filter(s -> s.retained() != null).map(s -> s.retained().per()).findFirst()
                .orElse("request");
    }

    private static String measured(HuntResult.Suspect s) {
        return s.source() == null ? "-" : s.exact() ? "forced GC (" + s.source() + ")" : s.source();
    }

    /** A heap snapshot group's growth: its name, bytes and objects (type names only, never contents). */
    static String grew(HeapGrowth.Group g) {
        return String.format(Locale.ROOT, "%s +%s, %+,d objects", g.name(), ConsoleSummary.bytes(g.bytesDelta()),
                g.countDelta());
    }

    private static String retained(HuntResult.Suspect s) {
        return s.retained() == null ? "-" : ConsoleSummary.bytes(s.retained().bytes()) + " ("
                + ConsoleSummary.bytes(s.retained().ci95()[0]) + "–" + ConsoleSummary.bytes(s.retained().ci95()[1]) + ")";
    }

    private static String slope(HuntResult.Suspect s) {
        return s.ci95MBPerHour() == null ? "-" : String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", s.slopeMBPerHour(),
                s.ci95MBPerHour()[0], s.ci95MBPerHour()[1]);
    }
}
