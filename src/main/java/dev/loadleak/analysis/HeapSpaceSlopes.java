package dev.loadleak.analysis;

import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.result.HeapSpaces;
import dev.loadleak.result.HeapSpaces.Space;
import dev.loadleak.result.LeakAnalysis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which V8 heap space grows: the leak detector run over each space's series ({@link HeapSpaces}). */
public final class HeapSpaceSlopes {
    private HeapSpaceSlopes() {
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

}
