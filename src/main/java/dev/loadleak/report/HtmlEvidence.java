package dev.loadleak.report;

import dev.loadleak.result.ClassGrowth;
import dev.loadleak.result.ForcedGcResult;
import dev.loadleak.result.HeapGrowth;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import java.util.Locale;

/** The report's evidence of what grows in a JVM target: its class histograms' diff. */
final class HtmlEvidence {
    private HtmlEvidence() {
    }

    /** What grew in JVM targets, by class: the top by bytes and by instances. */
    static void classGrowth(StringBuilder h, RunResult r) {
        if (r.targetMemory().classGrowth() == null) {
            return;
        }
        for (ClassGrowth g : r.targetMemory().classGrowth()) {
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

    /** What targets made to collect really kept, the pauses it cost, and what grew between heap snapshots. */
    static void forcedGc(StringBuilder h, RunResult r) {
        if (r.targetMemory().forcedGc() == null) {
            return;
        }
        for (ForcedGcResult f : r.targetMemory().forcedGc()) {
            h.append("<h3>What ").append(Html.esc(f.source())).append(" really keeps <small>(")
                    .append(f.collections()).append(" forced collections, ").append(Html.esc(f.how())).append(")</small></h3>");
            h.append("<p><b>").append(f.verdict().name()).append("</b>: ").append(Html.esc(String.join("; ", f.reasons())))
                    .append("</p>");
            if (f.bytesPerRequest() != null && f.bytesPerRequestCi95() != null) {
                h.append("<p>").append(Html.esc(ConsoleSummary.retainedText(new MemorySeries.Retained(f.bytesPerRequest(),
                        f.bytesPerRequestCi95(), "request")))).append("</p>");
            }
            if (f.bytesPerIteration() != null && f.bytesPerIterationCi95() != null) {
                h.append("<p>").append(Html.esc(ConsoleSummary.retainedText(new MemorySeries.Retained(f.bytesPerIteration(),
                        f.bytesPerIterationCi95(), "iteration")))).append("</p>");
            }
            if (f.pauseMillis() != null) {
                h.append(String.format(Locale.ROOT, "<p class='note'>Each forced collection paused the target: %.0f ms "
                        + "median, %.0f ms max.</p>", f.pauseMillis()[0], f.pauseMillis()[1]));
            }
            HeapGrowth g = f.heapGrowth();
            if (g == null) {
                continue;
            }
            if (g.error() != null) {
                h.append("<p class='note'>No heap snapshot diff: ").append(Html.esc(g.error())).append("</p>");
                continue;
            }
            h.append("<table><tr><th>constructor / type</th><th>bytes</th><th>objects</th><th>at the end</th></tr>");
            for (HeapGrowth.Group row : g.top()) {
                h.append("<tr><td><code>").append(Html.esc(row.name())).append("</code></td><td>+")
                        .append(Html.esc(ConsoleSummary.bytes(row.bytesDelta()))).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%+,d", row.countDelta())).append("</td><td>")
                        .append(Html.esc(ConsoleSummary.bytes(row.bytesEnd()))).append(String.format(Locale.ROOT,
                                ", %,d", row.countEnd())).append("</td></tr>");
            }
            h.append("</table><table><tr><th>new objects of</th><th>held by (the path most of a sample share)</th></tr>");
            for (HeapGrowth.Retainers t : g.retainers()) {
                h.append("<tr><td><code>").append(Html.esc(t.group())).append("</code> (").append(t.sharing())
                        .append(" of ").append(t.sampled()).append(")</td><td><code>").append(Html.esc(t.path()))
                        .append("</code></td></tr>");
            }
            h.append("</table>");
        }
    }
}
