package dev.loadleak.analysis;

import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.result.HeapSpaces;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns sampled series into result entries: downsampled samples, gaps, and the leak analysis; a
 * Node.js source's heap-space series become its {@link HeapSpaces}.
 */
public final class MemoryResults {
    /** Samples kept per series in result.json; the analysis always uses them all. */
    static final int MAX_POINTS = 2000;

    private MemoryResults() {
    }

    public static List<MemorySeries> of(List<MemorySampler.Series> series, double fromSecond,
                                        LeakDetector.Params params) {
        Map<Boolean, List<MemorySampler.Series>> isSpace = series.stream()
                .collect(java.util.stream.Collectors.partitioningBy(s -> s.kind() == MemoryKind.HEAP_SPACE));
        Map<String, HeapSpaces> spaces = HeapSpaceSlopes.of(isSpace.get(true), fromSecond, params);
        List<MemorySeries> out = new ArrayList<>();
        for (MemorySampler.Series s : isSpace.get(false)) {
            List<MemorySeries.Gap> gaps = s.gaps().stream()
                    .map(g -> new MemorySeries.Gap(g.second(), g.until(), g.count(), g.reason())).toList();
            LeakAnalysis a = LeakDetector.analyse(s.seconds(), s.values(), s.postGc(), fromSecond, gapTimes(s.gaps()),
                    params);
            out.add(new MemorySeries(s.name(), s.kind(), s.postGc(), downsample(s.seconds(), s.values(), MAX_POINTS),
                    gaps, a).withSpaces(spaces.get(s.name())));
        }
        return out;
    }

    /** Target metrics as name to [[seconds, value]] (not analysed for leaks). */
    public static Map<String, List<double[]>> targetMetrics(List<MemorySampler.Series> series) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (MemorySampler.Series s : series) {
            out.put(s.name(), downsample(s.seconds(), s.values(), MAX_POINTS));
        }
        return out;
    }

    static double[] gapTimes(List<MemorySampler.Gap> gaps) {
        int total = gaps.stream().mapToInt(MemorySampler.Gap::count).sum();
        double[] out = new double[total];
        int k = 0;
        for (MemorySampler.Gap g : gaps) {
            for (int i = 0; i < g.count(); i++) {
                out[k++] = g.count() == 1 ? g.second() : g.second() + (g.until() - g.second()) * i / (g.count() - 1);
            }
        }
        return out;
    }

    /**
     * At most {@code max} points, keeping each bucket's minimum and maximum in time order, so a
     * sawtooth's floor and peaks survive downsampling.
     */
    static List<double[]> downsample(double[] t, double[] v, int max) {
        List<double[]> out = new ArrayList<>();
        int n = t.length;
        if (n <= max) {
            for (int i = 0; i < n; i++) {
                out.add(new double[] {Math.round(t[i] * 1000) / 1000.0, v[i]});
            }
            return out;
        }
        int buckets = max / 2;
        for (int b = 0; b < buckets; b++) {
            int s = (int) ((long) b * n / buckets);
            int e = (int) ((long) (b + 1) * n / buckets);
            int lo = s;
            int hi = s;
            for (int i = s; i < e; i++) {
                if (v[i] < v[lo]) {
                    lo = i;
                }
                if (v[i] > v[hi]) {
                    hi = i;
                }
            }
            int a = Math.min(lo, hi);
            int c = Math.max(lo, hi);
            out.add(new double[] {Math.round(t[a] * 1000) / 1000.0, v[a]});
            if (c != a) {
                out.add(new double[] {Math.round(t[c] * 1000) / 1000.0, v[c]});
            }
        }
        return out;
    }
}
