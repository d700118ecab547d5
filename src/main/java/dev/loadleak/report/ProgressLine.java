package dev.loadleak.report;

import dev.loadleak.result.TimelinePoint;
import dev.loadleak.scenario.Units;
import java.util.Locale;

/** The live line printed once a second while a run goes on. */
public final class ProgressLine {
    private ProgressLine() {
    }

    /**
     * {@code [  12s/30s] 200/s (intended 200/s)  p50 1.21ms  p99 3.40ms  errors 0 (total 0)}; in
     * closed and max-rate phases the pace says what is true there ({@code 20 users}, {@code max}).
     */
    public static String format(TimelinePoint p, long elapsedSeconds, long totalSeconds, String pace,
                                long totalErrors) {
        String lat = p.requests() - p.errors() > 0
                ? "p50 " + Units.formatMicros(p.p50()) + "  p99 " + Units.formatMicros(p.p99())
                : "p50 -  p99 -";
        return String.format(Locale.ROOT, "[%4ds/%ds] %6d/s (%s)  %s  errors %d (total %d)",
                elapsedSeconds, totalSeconds, p.requests(), pace, lat, p.errors(), totalErrors);
    }
}
