package dev.loadleak.analysis;

import dev.loadleak.metrics.MemorySampler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which V8 heap space of a Node.js target grows: prom-client's default metrics expose
 * {@code nodejs_heap_space_size_used_bytes{space=…}} beside the heap total, and each space's series
 * gets the same leak analysis (floor under the GC sawtooth, Theil–Sen with its interval, the same
 * three-valued verdict) as a memory source. Growth in old space is long-lived JS objects; in large-
 * object space, big strings, arrays or buffers kept; in code space, code generated again and again
 * ({@code eval}, {@code new Function}).
 *
 * @param spaces the spaces the target has, the fastest-growing first
 */
public record HeapSpaces(List<Space> spaces) {
    /** The sampler's kind for a heap space's series, named {@code SOURCE/SPACE}. */
    public static final String KIND = "heap-space";
    public static final String METRIC = "nodejs_heap_space_size_used_bytes";
    /** V8's heap spaces across Node.js versions (map space until Node 18, shared and trusted spaces later). */
    public static final List<String> V8_SPACES = List.of("new_space", "old_space", "code_space", "map_space",
            "shared_space", "trusted_space", "read_only_space", "new_large_object_space", "large_object_space",
            "code_large_object_space", "shared_large_object_space", "trusted_large_object_space");

    /** One space: its leak verdict, slope and interval, and its largest sample. */
    public record Space(String space, LeakFinding verdict, double slopeMBPerHour, double[] ci95MBPerHour, double maxMB) {
    }

    /**
     * The spaces of each source that has them, by source name; spaces without a single sample (the
     * target's V8 does not have them) are left out.
     */
    public static Map<String, HeapSpaces> of(List<MemorySampler.Series> series, double fromSecond,
                                             LeakDetector.Params params) {
        Map<String, List<Space>> bySource = new LinkedHashMap<>();
        for (MemorySampler.Series s : series) {
            int slash = s.name().lastIndexOf('/');
            if (s.values().length == 0 || slash < 0) {
                continue;
            }
            LeakAnalysis a = LeakDetector.analyse(s.seconds(), s.values(), false, fromSecond,
                    MemoryResults.gapTimes(s.gaps()), params);
            double max = 0;
            for (double v : s.values()) {
                max = Math.max(max, v);
            }
            bySource.computeIfAbsent(s.name().substring(0, slash), k -> new ArrayList<>())
                    .add(new Space(s.name().substring(slash + 1), a.verdict(), a.slopeMBPerHour(), a.ci95MBPerHour(),
                            Math.round(max / LeakDetector.MB * 10) / 10.0));
        }
        Map<String, HeapSpaces> out = new LinkedHashMap<>();
        bySource.forEach((source, spaces) -> {
            spaces.sort(Comparator.comparingDouble(Space::slopeMBPerHour).reversed());
            out.put(source, new HeapSpaces(List.copyOf(spaces)));
        });
        return out;
    }

    /** "heap spaces: the growth is in old_space (+812.3 MB/h, 95 % CI …); not growing: new_space, …". */
    public List<String> describe() {
        if (spaces.isEmpty()) {
            return List.of();
        }
        List<String> growing = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        for (Space s : spaces) {
            if (LeakFinding.LEAK.equals(s.verdict())) {
                growing.add(String.format(Locale.ROOT, "%s (%+.1f MB/h, 95 %% CI %.1f–%.1f)", s.space(),
                        s.slopeMBPerHour(), s.ci95MBPerHour()[0], s.ci95MBPerHour()[1]));
            } else if (LeakFinding.NO_LEAK.equals(s.verdict())) {
                flat.add(s.space());
            } else {
                undecided.add(s.space());
            }
        }
        StringBuilder b = new StringBuilder("heap spaces: ");
        b.append(growing.isEmpty() ? "no space is established to grow"
                : "the growth is in " + String.join(", ", growing));
        if (!flat.isEmpty()) {
            b.append("; not growing: ").append(String.join(", ", flat));
        }
        if (!undecided.isEmpty()) {
            b.append("; undecided: ").append(String.join(", ", undecided));
        }
        return List.of(b.toString());
    }
}
