package dev.loadleak.analysis;

import dev.loadleak.result.LeakFinding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The verdict the floor's trend allows, never more: growth above the threshold θ must be either
 * established or ruled out by the 95 % interval, else the answer is INCONCLUSIVE with how long a
 * run would decide.
 *
 * <ul>
 *   <li><b>LEAK</b>: the slope is above θ, the interval's low end above 0, Mann–Kendall p &lt; 0.001,
 *   and the growth goes on (no plateau).</li>
 *   <li><b>NO_LEAK</b>: the interval's high end is at or below θ (for a plateau, the high end of the
 *   second half's interval): growth above θ is ruled out.</li>
 *   <li><b>INCONCLUSIVE</b> otherwise.</li>
 * </ul>
 *
 * <p><b>How long would decide.</b> For a linear trend under white noise sampled evenly over a span
 * T, the slope's standard error is {@code σ·sqrt(12Δ/T³)}: it falls as T^-1.5, and so does the
 * interval's half-width h. From the half-width now — the larger of the interval's and
 * {@code 1.96·σ·sqrt(12/m)/T} from the floor's residual noise σ (1.4826 × the median absolute
 * residual around the Theil–Sen line, m floor points) — h(T) = h·(T_now/T)^1.5. A NO_LEAK
 * needs {@code b + h(T) ≤ θ}; aiming at h(T) = (θ − max(b, 0))/2 leaves the new estimate b' a
 * margin of 1.96 of its own standard errors, so that a run of that span decides in about 97 % of
 * cases if the noise stays as it is. A LEAK needs the low end above 0 at p &lt; 0.001, about
 * {@code b > 3.3·SE}, i.e. h(T) &lt; 0.6·b; when b is above θ but not established the truth may
 * still be flat, so the aim is the smaller of 0.3·b and θ/2. The span is then
 * {@code T = T_now·(h/target)^(2/3)}, at least 1.25 × the current one. The estimate is checked on
 * synthetic series in {@code LeakDetectorAccuracyTest} (a run of the suggested length decides in
 * at least 80 % of seeds).
 */
final class LeakVerdict {
    /** Beyond a week, a duration is not advice any more. */
    static final double MAX_SUGGESTED_SECONDS = 7 * 24 * 3600.0;

    /** What the trend allows: the verdict, its reasons, the growth interval and how long would decide. */
    record Decision(LeakFinding verdict, List<String> reasons, double growth, double[] growthCi, Double decideAfterSeconds) {
    }

    private LeakVerdict() {
    }

    /**
     * What the floor's trend shows, in MB/h.
     *
     * @param late      the fit of what follows a plateau [slope, lo, hi], else null
     * @param firstHalf the first half's fit [slope, lo, hi] (8+ points and no plateau), else null
     * @param lastHalf  the second half's fit, likewise
     * @param thirds    the three thirds' fits (12+ points and no plateau), else null
     * @param lastSlope the Theil–Sen slope of the second half's points (3+ of them, no plateau), NaN otherwise: on
     *                  fewer than 8 points it stands in for {@code lastHalf}, whose interval would be meaningless
     * @param concave   an envelope of 12+ points bends down significantly (a parabola's x² term)
     * @param spanSeconds the span of the floor analysed; {@code lateSpan} that of the part after a plateau
     * @param noiseHalfWidth the half-width the floor's residual noise predicts
     */
    record Evidence(double slope, double lo, double hi, double pValue, double[] late, double[] firstHalf,
                    double[] lastHalf, double lastSlope, double[][] thirds, double spanSeconds, double lateSpan, double noiseHalfWidth,
                    boolean concave, boolean envelope, int points) {
        Evidence(double slope, double lo, double hi, double pValue, double[] late, double[] firstHalf,
                 double[] lastHalf, double lastSlope, double[][] thirds, double spanSeconds, double lateSpan,
                 double noiseHalfWidth, boolean concave, boolean envelope) {
            this(slope, lo, hi, pValue, late, firstHalf, lastHalf, lastSlope, thirds, spanSeconds, lateSpan, noiseHalfWidth,
                    concave, envelope, 0);
        }

        /** Under 16 floor points: each half has fewer than 8, too few for an interval that means much. */
        boolean fewPoints() {
            return points > 0 && points < 16;
        }
    }

    /** Growth this many times the threshold, established at 95 %, is blatant: a LEAK on fewer points too. */
    static final double BLATANT = 3;
    /** An interval's low end this many times the threshold is far above it: an envelope then needs only p &lt; 0.01. */
    static final double FAR = 20;
    /**
     * A fresh process's resident memory and heap grow by tens of MB while it warms up (allocator
     * arenas, JIT, V8's spaces); over less than {@link #SHORT_SPAN} seconds of an envelope, growth of
     * less than this many MB cannot be told from that, whatever its slope.
     */
    static final double WARM_UP_MB = 32;
    static final double SHORT_SPAN = 120;
    /**
     * A lower envelope (RSS, or a heap read without its collections) of a healthy process moves in
     * steps of a few MB at any run length: an allocator maps arenas of 2 MB and more, V8 resizes its
     * spaces. Growth of less than this many MB in all is not taken for a leak, however steady.
     */
    static final double STEP_MB = 8;
    /**
     * Growth a heap can show before its first major collection over less than {@link #SHORT_SPAN} seconds: up to
     * 1 MB/s of garbage promoted, for about a minute.
     */
    static final double BEFORE_COLLECTION_MB = 64;

    /** What the evidence shows before it is weighed: is the growth clear, does it go on, does it slow. */
    private record Reading(boolean established, boolean blatant, boolean goesOn, boolean slowing,
                           boolean leakUnderWarmup, double grownMB) {
        static Reading of(Evidence e, double threshold) {
            double[] last = e.lastHalf();
            double[] first = e.firstHalf();
            // few independent points (5-7 GC cycles' minima, or post-GC readings) have no interval for a half: there
            // the second half's own slope must stay far above the threshold and at no less than half the whole run's
            // (the same on 8-15 points: a half of 4-7 has an interval, but one too wide to establish anything)
            boolean halfGrows = (!e.envelope() || e.fewPoints()) && e.lastSlope() > BLATANT * threshold
                    && e.lastSlope() >= 0.5 * e.slope();
            boolean lastEstablishes = last != null ? last[1] > threshold || e.fewPoints() && halfGrows : halfGrows;
            // a lower envelope (RSS, rare collections) also shows warm-up: growth that slows significantly (the second
            // half's or last third's interval below the first's) is not taken for a leak, unless the second half
            // still grows far above the threshold at no less than half the first half's pace (a leak under warm-up)
            boolean slowing = e.envelope() && last != null && (last[2] < first[1] || e.concave()
                    || e.thirds() != null && e.thirds()[2][2] < e.thirds()[0][1]);
            boolean leakUnderWarmup = slowing && last[1] > BLATANT * threshold && last[0] >= 0.5 * first[0];
            // an envelope's growth goes on when its second half's interval stays above 0, or when the second half
            // climbs at least 3/4 as fast as the first, far above the threshold: an RSS release in it widens its
            // interval, while a warm-up that levels off shows as a slope that falls
            boolean goesOn = !e.envelope() || last == null || last[1] > 0 || e.fewPoints() && halfGrows
                    || last[0] > BLATANT * threshold && last[0] >= 0.75 * first[0];
            boolean established = e.slope() > threshold && e.lo() > 0 && e.pValue() < 0.001;
            // far above the threshold, and the second half on its own above it too: not left INCONCLUSIVE for a few
            // independent points whose Mann–Kendall p cannot reach 0.001; an envelope of 16+ correlated points needs
            // p < 0.001 unless its interval's low end is FAR above the threshold (a flat sawtooth's correlated
            // envelope reached p = 0.009 with a low end at 10 x the threshold)
            double grownMB = e.slope() * e.spanSeconds() / 3600;
            boolean blatant = e.lo() > BLATANT * threshold && e.pValue() < blatantP(e, threshold, grownMB)
                    && lastEstablishes;
            return new Reading(established, blatant, goesOn, slowing, leakUnderWarmup, grownMB);
        }

        boolean clear() {
            return established || blatant;
        }

        /**
         * The Mann–Kendall p under which growth far above the threshold is blatant. An envelope of 16+ correlated
         * points needs p &lt; 0.001 unless its interval's low end is FAR above the threshold, else p &lt; 0.01. An
         * envelope of under 16 points whose interval (already widened for their serial correlation) lies FAR above
         * the threshold, and which grew more than twice what a warm-up can, needs p &lt; 0.05: its correlation leaves
         * about 4 independent points, whose Mann–Kendall p cannot go under 0.01 (a Socket.IO service keeping 20 KB
         * per connection: 12 floor points rising 118 → 214 MB in 30 s, interval 8,611–13,253 MB/h, p = 0.016).
         */
        static double blatantP(Evidence e, double threshold, double grownMB) {
            if (e.envelope() && !e.fewPoints() && e.lo() <= FAR * threshold) {
                return 0.001;
            }
            if (e.envelope() && e.fewPoints() && e.lo() > FAR * threshold && grownMB > 2 * WARM_UP_MB) {
                return 0.05;
            }
            return 0.01;
        }
    }

    static Decision decide(Evidence e, double threshold) {
        Reading r = Reading.of(e, threshold);
        List<String> reasons = new ArrayList<>();
        if (e.late() == null && r.clear() && e.envelope()) {
            Decision small = tooSmall(e, r, threshold, reasons);
            if (small != null) {
                return small;
            }
        }
        if (e.late() == null && r.clear() && r.goesOn() && (!r.slowing() || r.leakUnderWarmup())) {
            return leak(e, r, threshold, reasons);
        }
        if (e.late() != null) {
            return afterPlateau(e, threshold, reasons);
        }
        if (e.hi() <= threshold) {
            reasons.add(String.format(Locale.ROOT, "growth above the %.1f MB/h threshold is ruled out (the 95 %% CI "
                    + "ends at %.1f MB/h)", threshold, e.hi()));
            return new Decision(LeakFinding.NO_LEAK, reasons, e.slope(), new double[] {e.lo(), e.hi()}, null);
        }
        if (r.clear() && (r.slowing() || !r.goesOn())) {
            return notGoingOn(e, r, threshold, reasons);
        }
        Double more = secondsToDecide(e.slope(), e.lo(), e.hi(), e.spanSeconds(), threshold, e.noiseHalfWidth());
        if (e.slope() > threshold) {
            reasons.add(String.format(Locale.ROOT, "above the %.1f MB/h threshold but not established: the interval "
                    + "reaches %.1f MB/h or Mann–Kendall p >= 0.001%s", threshold, e.lo(), advice(more, threshold)));
        } else {
            reasons.add(String.format(Locale.ROOT, "cannot rule out growth up to %.1f MB/h (threshold %.1f MB/h)%s",
                    e.hi(), threshold, advice(more, threshold)));
        }
        return new Decision(LeakFinding.INCONCLUSIVE, reasons, e.slope(), new double[] {e.lo(), e.hi()}, more);
    }

    /** Clear growth of an envelope that is still too small to be a leak: a warm-up, or a healthy process's steps. */
    private static Decision tooSmall(Evidence e, Reading r, double threshold, List<String> reasons) {
        double grownMB = r.grownMB();
        if (e.spanSeconds() < SHORT_SPAN && grownMB < WARM_UP_MB) {
            double more = Math.max(SHORT_SPAN, 1.25 * e.spanSeconds());
            reasons.add(String.format(Locale.ROOT, "growth of %.1f MB over %.0f s is within what a process warming up "
                    + "takes (its first minutes, up to %.0f MB here); not a LEAK yet%s", grownMB, e.spanSeconds(), WARM_UP_MB,
                    advice(more, threshold)));
            return new Decision(LeakFinding.INCONCLUSIVE, reasons, e.slope(), new double[] {e.lo(), e.hi()}, more);
        }
        if (grownMB < STEP_MB) {
            // how long the same slope takes to grow STEP_MB, at least 1.25 times this span
            double more = Math.min(MAX_SUGGESTED_SECONDS, Math.max(1.25 * e.spanSeconds(),
                    e.spanSeconds() * STEP_MB / Math.max(grownMB, 1e-3)));
            reasons.add(String.format(Locale.ROOT, "growth of %.1f MB in all is within the steps a healthy process's "
                    + "resident memory or heap takes (an allocator's arenas, V8 resizing its spaces: up to %.0f MB here); "
                    + "not a LEAK yet%s", grownMB, STEP_MB, advice(more, threshold)));
            return new Decision(LeakFinding.INCONCLUSIVE, reasons, e.slope(), new double[] {e.lo(), e.hi()}, more);
        }
        return null;
    }

    /** A LEAK, and why when it rests on the blatant rule or on a second half that outgrows a warm-up. */
    private static Decision leak(Evidence e, Reading r, double threshold, List<String> reasons) {
        double[] last = e.lastHalf();
        if (!r.established() && last != null) {
            reasons.add(String.format(Locale.ROOT, "blatant growth: the interval's low end %.1f MB/h is over %.0f x "
                    + "the %.1f MB/h threshold, and the second half on its own establishes growth above it (%.1f MB/h, "
                    + "95 %% CI %.1f–%.1f)", e.lo(), BLATANT, threshold, last[0], last[1], last[2]));
        } else if (!r.established()) {
            reasons.add(String.format(Locale.ROOT, "blatant growth: the interval's low end %.1f MB/h is over %.0f x "
                    + "the %.1f MB/h threshold, and the second half's points alone still grow %.1f MB/h (too few for "
                    + "an interval of their own)", e.lo(), BLATANT, threshold, e.lastSlope()));
        }
        if (r.slowing()) {
            reasons.add(String.format(Locale.ROOT, "growth slowed from %.1f to %.1f MB/h (warm-up), but the second "
                    + "half alone still grows far above the threshold (95 %% CI %.1f–%.1f)", e.firstHalf()[0], last[0],
                    last[1], last[2]));
            return new Decision(LeakFinding.LEAK, reasons, last[0], new double[] {last[1], last[2]}, null);
        }
        return new Decision(LeakFinding.LEAK, reasons, e.slope(), new double[] {e.lo(), e.hi()}, null);
    }

    /** After a plateau: NO_LEAK when the part after it rules out growth above the threshold, else INCONCLUSIVE. */
    private static Decision afterPlateau(Evidence e, double threshold, List<String> reasons) {
        double[] late = e.late();
        if (late[2] <= threshold) {
            reasons.add(String.format(Locale.ROOT, "growth did not go on in the second half (%.1f MB/h there, 95 %% "
                    + "CI %.1f–%.1f): a plateau (cache fill or warm-up), not a leak", late[0], late[1], late[2]));
            return new Decision(LeakFinding.NO_LEAK, reasons, late[0], new double[] {late[1], late[2]}, null);
        }
        Double more = secondsToDecide(late[0], late[1], late[2], e.lateSpan(), threshold, 0);
        more = more == null ? null : more + e.spanSeconds() - e.lateSpan();
        reasons.add(String.format(Locale.ROOT, "growth slowed in the second half (%.1f MB/h there), but growth up to "
                + "%.1f MB/h cannot be ruled out there (threshold %.1f MB/h)%s", late[0], late[2], threshold,
                advice(more, threshold)));
        return new Decision(LeakFinding.INCONCLUSIVE, reasons, late[0], new double[] {late[1], late[2]}, more);
    }

    /** The whole run's trend is clear but its second half does not carry it: decelerating growth (warm-up). */
    private static Decision notGoingOn(Evidence e, Reading r, double threshold, List<String> reasons) {
        double[] last = e.lastHalf();
        double half = e.spanSeconds() / 2;
        Double more = secondsToDecide(last[0], last[1], last[2], half, threshold, 0);
        more = more == null ? null : more + half;
        reasons.add(String.format(Locale.ROOT, "%s: %.1f MB/h in the first half, %.1f MB/h (95 %% CI %.1f–%.1f) in "
                + "the second, which does not establish growth above %.1f MB/h: warm-up that levels off, or a leak; "
                + "not a LEAK yet%s", r.slowing() ? "growth slowed" : "the growth does not go on clearly",
                e.firstHalf()[0], last[0], last[1], last[2], threshold, advice(more, threshold)));
        return new Decision(LeakFinding.INCONCLUSIVE, reasons, last[0], new double[] {last[1], last[2]}, more);
    }

    /**
     * A LEAK read from a lower envelope stands only if it shows what a heap between collections cannot:
     *
     * <ul>
     *   <li>where the series falls at collections, growth across them: the lowest level after the last collection
     *   at least {@link #STEP_MB} above the lowest level after (or before) the first
     *   ({@link FloorEstimator#acrossCollections}). Otherwise the rise is as well explained by garbage awaiting a
     *   rare collection (V8's old space between mark-sweeps);</li>
     *   <li>where it never fell, over less than {@link #SHORT_SPAN} seconds, growth of at least
     *   {@link #BEFORE_COLLECTION_MB}: a busy heap promotes up to 1 MB/s of garbage before its first major
     *   collection, and a scavenging V8 heap's falls are too small to show under such a rise.</li>
     * </ul>
     *
     * Otherwise the answer is INCONCLUSIVE, with the length that lets the same slope grow that much and one more
     * collection come.
     */
    static Decision acrossCollections(Decision d, FloorEstimator.Floor floor, double spanSeconds, double threshold) {
        if (!LeakFinding.LEAK.equals(d.verdict()) || floor.collections() < 0) {
            return d;
        }
        double grownMB = d.growth() * spanSeconds / 3600;
        boolean neverFell = floor.collections() == 0;
        if (neverFell ? spanSeconds >= SHORT_SPAN || grownMB >= BEFORE_COLLECTION_MB : floor.acrossMB() >= STEP_MB) {
            return d;
        }
        if (!neverFell && risesPastItsCycles(floor)) {
            List<String> reasons = new ArrayList<>(d.reasons());
            reasons.add(String.format(Locale.ROOT, "across collections the floor rose %.1f MB, but after the last one "
                    + "it rose %.1f MB without falling again: more than garbage awaiting a collection (%.0f MB) and "
                    + "more than twice the largest fall seen (%.1f MB)", floor.acrossMB(), floor.sinceLastMB(),
                    BEFORE_COLLECTION_MB, floor.largestFallMB()));
            return new Decision(d.verdict(), reasons, d.growth(), d.growthCi(), d.decideAfterSeconds());
        }
        double period = floor.longestPeriod() > 0 ? floor.longestPeriod() : spanSeconds;
        double rate = Math.max(d.growth(), threshold);
        double more = Math.min(MAX_SUGGESTED_SECONDS, Math.max(1.25 * spanSeconds, neverFell
                ? Math.max(SHORT_SPAN, 3600 * BEFORE_COLLECTION_MB / rate) : 3600 * STEP_MB / rate + period));
        List<String> reasons = new ArrayList<>(d.reasons());
        reasons.add(neverFell ? String.format(Locale.ROOT, "but the series never fell in %.0f s and grew %.1f MB (under "
                + "%.0f MB): a busy heap's garbage rises this way until its first major collection, so not a LEAK yet%s",
                spanSeconds, grownMB, BEFORE_COLLECTION_MB, advice(more, threshold))
                : String.format(Locale.ROOT, "but across collections the floor rose only %.1f MB (the lowest level after "
                + "the last collection against the lowest before or after the first; under %.0f MB): between "
                + "collections garbage not yet collected rises as a leak would, so not a LEAK yet%s", floor.acrossMB(),
                STEP_MB, advice(more, threshold)));
        return new Decision(LeakFinding.INCONCLUSIVE, reasons, d.growth(), d.growthCi(), more);
    }

    /**
     * After its last collection the floor rose as a series that never fell must to be a LEAK (at least
     * {@link #BEFORE_COLLECTION_MB}), and more than twice the largest fall seen: garbage piling up again after a
     * collection is not held to less than garbage before the first, and a healthy heap's next cycle is about as
     * large as the ones it collected. A Socket.IO service keeping 20 KB per connection fell 15 MB once, at 16 s, and
     * then rose 95 MB in 23 s without falling again.
     */
    static boolean risesPastItsCycles(FloorEstimator.Floor floor) {
        return floor.sinceLastMB() >= BEFORE_COLLECTION_MB && floor.sinceLastMB() > 2 * floor.largestFallMB();
    }

    /**
     * The span of samples (after warm-up) that would decide at {@code threshold}, or null when it
     * cannot be told. The half-width scaled is the larger of the interval's own and the one the
     * residual noise predicts ({@code noiseHalfWidth}), so that a narrow interval drawn by chance
     * from few points does not make the advice too short.
     */
    static Double secondsToDecide(double slope, double lo, double hi, double spanSeconds, double threshold,
                                  double noiseHalfWidth) {
        double h = Math.max((hi - lo) / 2, noiseHalfWidth);
        // above the threshold but not established, the truth may still be flat: aim at a length
        // that rules the threshold out then, as well as one that establishes the growth
        double target = slope < threshold ? (threshold - Math.max(slope, 0)) / 2 : Math.min(0.3 * slope, threshold / 2);
        if (!(h > 0) || !(target > 0) || !(spanSeconds > 0)) {
            return null;
        }
        double t = spanSeconds * Math.pow(h / target, 2.0 / 3.0);
        return Math.min(MAX_SUGGESTED_SECONDS, Math.max(1.25 * spanSeconds, t));
    }

    private static String advice(Double seconds, double threshold) {
        if (seconds == null) {
            return "; run longer";
        }
        if (seconds >= MAX_SUGGESTED_SECONDS) {
            return String.format(Locale.ROOT, "; at this noise more than a week of samples would be needed to decide "
                    + "at %.1f MB/h: sample a post-GC metric, or raise the threshold", threshold);
        }
        return String.format(Locale.ROOT, "; at this noise about %s of samples after warm-up would decide at %.1f MB/h",
                duration(seconds), threshold);
    }

    /** "40 s", "24 min", "3.5 h". */
    static String duration(double seconds) {
        if (seconds < 90) {
            return Math.round(seconds) + " s";
        }
        if (seconds < 90 * 60) {
            return Math.round(seconds / 60) + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    /** σ of the floor around the Theil–Sen line: 1.4826 × the median absolute residual (robust to outliers). */
    static double residualNoise(double[] t, double[] v, double slope) {
        int m = t.length;
        double[] r = new double[m];
        for (int i = 0; i < m; i++) {
            r[i] = v[i] - slope * t[i];
        }
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        double intercept = Trend.median(sorted);
        for (int i = 0; i < m; i++) {
            r[i] = Math.abs(r[i] - intercept);
        }
        Arrays.sort(r);
        return 1.4826 * Trend.median(r);
    }
}
