package dev.loadleak.report;

import dev.loadleak.analysis.ClassGrowth;
import dev.loadleak.analysis.RunResult;
import java.util.Locale;

/** The report's evidence of what grows in a JVM target: its class histograms' diff. */
final class HtmlEvidence {
    private HtmlEvidence() {
    }

    /** What grew in JVM targets, by class: the top by bytes and by instances. */
    static void classGrowth(StringBuilder h, RunResult r) {
        if (r.classGrowth() == null) {
            return;
        }
        for (ClassGrowth g : r.classGrowth()) {
            h.append("<h3>What grew in ").append(Html.esc(g.source())).append(" <small>(pid ").append(g.pid())
                    .append(", jcmd GC.class_histogram)</small></h3>");
            if (g.error() != null) {
                h.append("<p class='note'>").append(Html.esc(g.error())).append("</p>");
                continue;
            }
            h.append(String.format(Locale.ROOT, "<p>From %.0f s (the scored load's start) to %.0f s.</p>", g.fromSecond(),
                    g.toSecond()));
            for (boolean byBytes : new boolean[] {true, false}) {
                h.append("<table><tr><th>by ").append(byBytes ? "bytes" : "instances")
                        .append("</th><th>bytes</th><th>instances</th><th>at the end</th></tr>");
                for (ClassGrowth.Row row : byBytes ? g.byBytes() : g.byInstances()) {
                    h.append("<tr><td><code>").append(Html.esc(row.className())).append("</code></td><td>+")
                            .append(Html.esc(ConsoleSummary.bytes(row.bytesDelta()))).append("</td><td>")
                            .append(String.format(Locale.ROOT, "%+,d", row.instancesDelta())).append("</td><td>")
                            .append(Html.esc(ConsoleSummary.bytes(row.bytes()))).append(String.format(Locale.ROOT,
                                    ", %,d", row.instances())).append("</td></tr>");
                }
                h.append("</table>");
            }
        }
    }
}
