package dev.loadleak.report;

import dev.loadleak.result.RunResult;
import dev.loadleak.result.TimelinePoint;

/** The per-second timeline as CSV (latencies in µs, corrected). */
public final class CsvTimeline {
    private CsvTimeline() {
    }

    public static String render(RunResult r) {
        StringBuilder b = new StringBuilder("second,requests,errors,p50_us,p95_us,p99_us,max_us\n");
        for (TimelinePoint p : r.load().timeline()) {
            b.append(p.second()).append(',').append(p.requests()).append(',').append(p.errors()).append(',')
                    .append(p.p50()).append(',').append(p.p95()).append(',').append(p.p99()).append(',')
                    .append(p.max()).append('\n');
        }
        return b.toString();
    }
}
