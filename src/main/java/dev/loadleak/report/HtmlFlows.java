package dev.loadleak.report;

import dev.loadleak.result.FlowResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.Units;
import java.util.Locale;

/** The flows' part of the HTML report: steps grouped under their flow, and the setup and teardown steps. */
final class HtmlFlows {
    private HtmlFlows() {
    }

    /** Each flow's row (its iterations) with its steps' rows under it; false when the run has no flows. */
    static boolean stepRows(StringBuilder h, RunResult r) {
        if (r.userFlows().flows() == null || r.userFlows().flows().isEmpty()) {
            return false;
        }
        for (FlowResult f : r.userFlows().flows().values()) {
            h.append("<tr class='flow'><th colspan='11' scope='rowgroup'>flow ").append(Html.esc(f.name()))
                    .append(" — ").append(Html.esc(flowLine(f))).append("</th></tr>");
            for (String step : f.steps()) {
                Stats s = r.load().requests().get(f.name() + "." + step);
                if (s != null) {
                    HtmlReport.row(h, "\u00a0\u00a0" + step, s);
                }
            }
        }
        return true;
    }

    /** Closes the request table and adds the setup and teardown steps' table, when there were any. */
    static void setupTable(StringBuilder h, RunResult r) {
        if (r.userFlows().setup() == null || r.userFlows().setup().isEmpty()) {
            return;
        }
        h.append("</table><h2>Setup and teardown</h2><p class='note'>Sent once, before and after the load; not "
                + "scored.</p><table><tr><th>stage</th><th>step</th><th>request</th><th>status</th><th>time</th>"
                + "<th>outcome</th></tr>");
        for (FlowResult.SetupStep s : r.userFlows().setup()) {
            h.append("<tr><td>").append(s.stage()).append("</td><td>").append(Html.esc(s.name())).append("</td><td>")
                    .append(Html.esc(s.method() + " " + s.path())).append("</td><td>").append(s.status())
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.1f ms", s.millis())).append("</td><td>")
                    .append(s.ok() ? "ok" : "FAILED: " + Html.esc(s.error())).append("</td></tr>");
        }
    }

    /** One line about a flow's iterations, for every report. */
    static String flowLine(FlowResult f) {
        Stats.Latency d = f.durationMicros();
        return String.format(Locale.ROOT, "iterations: %d started, %d completed, %d failed (%.2f %%), %d aborted; "
                + "%d steps skipped%s", f.started(), f.completed(), f.failed(), f.failureRate() * 100, f.aborted(),
                f.skipped(), d == null ? "" : "; iteration p50 " + Units.formatMicros(d.corrected().p50()) + ", p95 "
                        + Units.formatMicros(d.corrected().p95()) + ", p99 " + Units.formatMicros(d.corrected().p99())
                        + " (corrected)") + (f.realtime() == null ? "" : "; " + realtimeLine(f.realtime()));
    }

    /** What a flow's WebSocket and Socket.IO connections did, in one line. */
    static String realtimeLine(FlowResult.Realtime rt) {
        return String.format(Locale.ROOT, "real-time: %d connections opened (%d connects kept an open one), %d closed "
                + "(%d lost: ended by the server or its heartbeats); messages %d sent (%.1f/s), %d received (%.1f/s); "
                + "%d heartbeats answered%s", rt.opened(), rt.reused(), rt.closed(), rt.lost(), rt.messagesSent(),
                rt.sentPerSecond(), rt.messagesReceived(), rt.receivedPerSecond(), rt.heartbeats(),
                rt.discarded() == 0 ? "" : "; " + rt.discarded() + " messages no step took were discarded");
    }
}
