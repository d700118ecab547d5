package dev.loadleak.report;

import dev.loadleak.analysis.RunResult;
import dev.loadleak.metrics.TimelinePoint;

/** The per-second timeline as CSV (latencies in µs, corrected). */
public final class CsvTimeline {
    private CsvTimeline() {
    }

    public static String render(RunResult r) {
        StringBuilder b = new StringBuilder("second,requests,errors,p50_us,p95_us,p99_us,max_us\n");
        for (TimelinePoint p : r.timeline()) {
            b.append(p.second()).append(',').append(p.requests()).append(',').append(p.errors()).append(',')
                    .append(p.p50()).append(',').append(p.p95()).append(',').append(p.p99()).append(',')
                    .append(p.max()).append('\n');
        }
        return b.toString();
    }
}
