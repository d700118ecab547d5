package dev.loadleak.analysis;

import dev.loadleak.result.HeapGrowth;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemorySeries;
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
     * @param decideAfterSeconds for an INCONCLUSIVE segment, about how long a segment's analysed samples would decide
     * @param exact   the figures come from forced collections at the segment's start and end ({@code forceGc}),
     *                not from a sampled series
     * @param topGrowth with {@code evidence: heapSnapshot}, the constructor or type that grew most in the
     *                segment in bytes (its name, objects and self bytes at the start and end); else null
     */
    public record Suspect(String request, String source, LeakFinding verdict, double slopeMBPerHour, double[] ci95MBPerHour,
                          MemorySeries.Retained retained, List<String> reasons, String resultFile,
                          Double decideAfterSeconds, boolean exact, HeapGrowth.Group topGrowth) {
        public Suspect(String request, String source, LeakFinding verdict, double slopeMBPerHour, double[] ci95MBPerHour,
                       MemorySeries.Retained retained, List<String> reasons, String resultFile,
                       Double decideAfterSeconds) {
            this(request, source, verdict, slopeMBPerHour, ci95MBPerHour, retained, reasons, resultFile,
                    decideAfterSeconds, false, null);
        }

        /** Established leaks first, then what is undecided, then what is ruled out. */
        int rank() {
            return LeakFinding.LEAK.equals(verdict) ? 0 : LeakFinding.NO_LEAK.equals(verdict) ? 2 : 1;
        }
    }

    /** Ranks the suspects and words the conclusion. */
    public static HuntResult of(String version, String scenario, String target, double rate, double segmentSeconds,
                                double threshold, List<Suspect> suspects) {
        List<Suspect> ranked = new ArrayList<>(suspects);
        // an established leak outranks any noise slope; within a class, most retained per request first
        ranked.sort(Comparator.comparingInt(Suspect::rank).thenComparing(Comparator.comparingDouble((Suspect s) ->
                s.retained() == null ? Double.NEGATIVE_INFINITY : s.retained().bytes()).reversed()));
        return new HuntResult(1, version, scenario, target, rate, segmentSeconds, threshold, ranked,
                conclusion(ranked, threshold, segmentSeconds));
    }

    /** Never claims absence beyond the data: "no request leaks" only when every segment is NO_LEAK. */
    static String conclusion(List<Suspect> ranked, double threshold, double segmentSeconds) {
        List<Suspect> leaks = ranked.stream().filter(s -> LeakFinding.LEAK.equals(s.verdict())).toList();
        List<String> flat = ranked.stream().filter(s -> LeakFinding.NO_LEAK.equals(s.verdict()))
                .map(Suspect::request).toList();
        List<String> open = ranked.stream().filter(s -> !LeakFinding.LEAK.equals(s.verdict())
                && !LeakFinding.NO_LEAK.equals(s.verdict())).map(Suspect::request).toList();
        StringBuilder c = new StringBuilder();
        if (leaks.isEmpty() && open.isEmpty()) {
            c.append(String.format(Locale.ROOT, "no request leaks above %.1f MB/h", threshold));
        } else if (leaks.isEmpty()) {
            c.append("no leak established");
        } else {
            c.append(String.join("; ", leaks.stream().map(s -> s.request() + " retains "
                    + (s.retained() == null ? String.format(Locale.ROOT, "%.1f MB/h", s.slopeMBPerHour())
                    : bytes(s.retained().bytes()) + " per " + s.retained().per())).toList()));
        }
        if (!flat.isEmpty()) {
            c.append(String.format(Locale.ROOT, "; %s %s: no growth above %.1f MB/h", leaks.isEmpty() ? "ruled out for"
                    : "the other " + (flat.size() == 1 ? "request" : flat.size() + " requests"),
                    leaks.isEmpty() ? String.join(", ", flat) : "(" + String.join(", ", flat) + ")", threshold));
        }
        if (!open.isEmpty()) {
            double longest = ranked.stream().filter(x -> x.rank() == 1 && x.decideAfterSeconds() != null)
                    .mapToDouble(Suspect::decideAfterSeconds).max().orElse(Double.NaN);
            c.append("; inconclusive for ").append(String.join(", ", open));
            if (Double.isNaN(longest)) {
                c.append(" (longer segments or a higher --rate would decide)");
            } else {
                // growth per request is what a hunt compares: a higher rate shows it as many times faster
                double times = Math.max(1.25, longest / Math.max(1, 0.8 * segmentSeconds));
                c.append(String.format(Locale.ROOT, " (segments of about %s (--segment) would decide, or a rate about "
                        + "%.1f x higher for as long)", LeakVerdict.duration(longest / 0.8), Math.pow(times, 1.5)));
            }
        }
        return c.toString();
    }

    static String bytes(double b) {
        return Math.abs(b) < 1024 ? String.format(Locale.ROOT, "%.0f B", b)
                : String.format(Locale.ROOT, "%.1f KB", b / 1024);
    }
}
