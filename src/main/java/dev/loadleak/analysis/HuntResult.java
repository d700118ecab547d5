package dev.loadleak.analysis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which endpoint leaks: each request of a scenario run alone for a segment, ranked by the bytes
 * its target retains per request, each with its interval and verdict; what {@code loadleak hunt}
 * writes as its result.json.
 *
 * @param ratePerSecond  the rate every segment ran at
 * @param segmentSeconds each segment's scored part
 * @param thresholdMBPerHour the leak threshold the verdicts are about
 * @param ranking        the suspects, most retained per request first
 * @param conclusion     the one line that answers the question
 */
public record HuntResult(int schemaVersion, String loadleakVersion, String scenario, String target,
                         double ratePerSecond, double segmentSeconds, double thresholdMBPerHour, List<Suspect> ranking,
                         String conclusion) {

    /**
     * One request, alone: what its target's memory did.
     *
     * @param source  the memory source read
     * @param verdict LEAK, NO_LEAK or INCONCLUSIVE (null when there was no analysis)
     * @param retained bytes retained per request with its interval, or null
     * @param resultFile the segment's own result.json
     */
    public record Suspect(String request, String source, String verdict, double slopeMBPerHour, double[] ci95MBPerHour,
                          MemorySeries.Retained retained, List<String> reasons, String resultFile) {
    }

    /** Ranks the suspects and words the conclusion. */
    public static HuntResult of(String version, String scenario, String target, double rate, double segmentSeconds,
                                double threshold, List<Suspect> suspects) {
        List<Suspect> ranked = new ArrayList<>(suspects);
        ranked.sort(Comparator.comparingDouble((Suspect s) -> s.retained() == null ? Double.NEGATIVE_INFINITY
                : s.retained().bytes()).reversed());
        return new HuntResult(1, version, scenario, target, rate, segmentSeconds, threshold, ranked,
                conclusion(ranked, threshold));
    }

    static String conclusion(List<Suspect> ranked, double threshold) {
        List<Suspect> leaks = ranked.stream().filter(s -> LeakAnalysis.LEAK.equals(s.verdict())).toList();
        List<String> flat = ranked.stream().filter(s -> LeakAnalysis.NO_LEAK.equals(s.verdict()))
                .map(Suspect::request).toList();
        List<String> open = ranked.stream().filter(s -> !LeakAnalysis.LEAK.equals(s.verdict())
                && !LeakAnalysis.NO_LEAK.equals(s.verdict())).map(Suspect::request).toList();
        StringBuilder c = new StringBuilder();
        if (leaks.isEmpty()) {
            c.append(String.format(Locale.ROOT, "no request leaks above %.1f MB/h", threshold));
        } else {
            c.append(String.join("; ", leaks.stream().map(s -> s.request() + " retains "
                    + (s.retained() == null ? String.format(Locale.ROOT, "%.1f MB/h", s.slopeMBPerHour())
                    : bytes(s.retained().bytes()) + " per request")).toList()));
        }
        if (!flat.isEmpty()) {
            c.append(String.format(Locale.ROOT, "; %s %s: no growth above %.1f MB/h", leaks.isEmpty() ? "ruled out for"
                    : "the other " + (flat.size() == 1 ? "request" : flat.size() + " requests"),
                    leaks.isEmpty() ? String.join(", ", flat) : "(" + String.join(", ", flat) + ")", threshold));
        }
        if (!open.isEmpty()) {
            c.append("; inconclusive for ").append(String.join(", ", open)).append(" (run longer segments)");
        }
        return c.toString();
    }

    static String bytes(double b) {
        return Math.abs(b) < 1024 ? String.format(Locale.ROOT, "%.0f B", b)
                : String.format(Locale.ROOT, "%.1f KB", b / 1024);
    }
}
