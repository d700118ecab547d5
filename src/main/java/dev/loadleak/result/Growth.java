package dev.loadleak.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the floor did over time: the slope per scored phase, and when growth started (null when
 * the floor does not grow significantly, or grows from the start).
 */
public record Growth(List<PhaseSlope> phases, Double onsetSecond, String onsetPhase) {
    /** One phase's slope of the floor. */
    public record PhaseSlope(String phase, double slopeMBPerHour, double[] ci95MBPerHour, int points) {
        /** "flat" when the interval holds 0. */
        public String describe() {
            boolean flat = ci95MBPerHour[0] <= 0 && ci95MBPerHour[1] >= 0;
            return String.format(Locale.ROOT, "%s %s (95 %% CI %.1f–%.1f MB/h)", phase,
                    flat ? "flat" : String.format(Locale.ROOT, "%+.1f MB/h", slopeMBPerHour), ci95MBPerHour[0],
                    ci95MBPerHour[1]);
        }
    }

    /** The lines a report prints: "growth started at ~7 min 40 s, in phase spike", "per phase: …". */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (onsetSecond != null) {
            lines.add("growth started at ~" + clock(onsetSecond) + (onsetPhase == null ? "" : ", in phase " + onsetPhase));
        }
        if (phases.size() > 1) {
            lines.add("per phase: " + String.join("; ", phases.stream().map(PhaseSlope::describe).toList()));
        }
        return lines;
    }

    /** "7 min 40 s", "45 s", "1 h 05 min". */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
