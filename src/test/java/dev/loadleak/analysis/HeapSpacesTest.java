package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.result.HeapSpaces;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which V8 heap space grows: synthetic Node.js series (fixed seeds) where old space leaks 300 MB/h
 * under a GC sawtooth while new space and code space only saw; map space is absent (a newer V8).
 */
class HeapSpacesTest {
    private static final LeakDetector.Params P = LeakDetector.Params.defaults().withThreshold(50);

    private static MemorySampler.Series series(String name, MemoryKind kind, double leakMBPerHour, double sawMB,
                                               double period, long seed) {
        SyntheticMemory m = new SyntheticMemory();
        m.baseMB = 40;
        m.leakMBPerHour = leakMBPerHour;
        m.sawtoothMB = sawMB;
        m.periodSeconds = period;
        m.durationSeconds = 600;
        m.gcOnSample = true;
        double[][] s = m.generate(seed);
        return new MemorySampler.Series(name, kind, false, s[0], s[1], List.of());
    }

    private static List<MemorySampler.Series> nodeRun(long seed) {
        List<MemorySampler.Series> all = new ArrayList<>();
        all.add(series("heap", MemoryKind.PROMETHEUS, 300, 20, 15, seed));
        all.add(series("heap/new_space", MemoryKind.HEAP_SPACE, 0, 16, 3, seed + 1));
        all.add(series("heap/old_space", MemoryKind.HEAP_SPACE, 300, 8, 15, seed + 2));
        all.add(series("heap/code_space", MemoryKind.HEAP_SPACE, 0, 0.5, 30, seed + 3));
        all.add(new MemorySampler.Series("heap/map_space", MemoryKind.HEAP_SPACE, false, new double[0], new double[0],
                List.of(new MemorySampler.Gap(0, 599, 600, "no series nodejs_heap_space_size_used_bytes{space=map_space}"))));
        return all;
    }

    @Test
    void namesOldSpaceAsTheSpaceThatGrowsAndLeavesOutAbsentSpaces() {
        for (long seed = 1; seed <= 10; seed++) {
            List<MemorySeries> out = MemoryResults.of(nodeRun(seed * 100), 60, P);
            assertEquals(1, out.size(), "heap-space series are not memory sources of their own");
            HeapSpaces spaces = out.get(0).spaces();
            assertEquals(List.of("old_space"), spaces.spaces().stream()
                    .filter(s -> LeakFinding.LEAK.equals(s.verdict())).map(HeapSpaces.Space::space).toList(),
                    spaces.toString());
            assertEquals("old_space", spaces.spaces().get(0).space(), "the fastest-growing first");
            assertEquals(3, spaces.spaces().size(), "map_space never had a sample: left out");
            assertEquals(300, spaces.spaces().get(0).slopeMBPerHour(), 30);
            String line = out.get(0).growthLines().get(out.get(0).growthLines().size() - 1);
            assertTrue(line.startsWith("heap spaces: the growth is in old_space (+"), line);
            assertTrue(!line.contains("new_space (") && line.contains("new_space"), line);
        }
    }

    @Test
    void aSourceWithoutSpacesHasNone() {
        List<MemorySeries> out = MemoryResults.of(List.of(series("rss", MemoryKind.PROCESS, 0, 20, 15, 7)), 60, P);
        assertNull(out.get(0).spaces());
        assertTrue(out.get(0).growthLines().isEmpty());
    }

    @Test
    void noGrowingSpaceIsSaidInWords() {
        HeapSpaces h = new HeapSpaces(List.of(new HeapSpaces.Space("old_space", LeakFinding.NO_LEAK, 1, new double[] {-2, 3}, 30),
                new HeapSpaces.Space("code_space", LeakFinding.INCONCLUSIVE, 4, new double[] {-80, 90}, 2)));
        assertEquals(List.of("heap spaces: no space is established to grow; not growing: old_space; undecided: code_space"),
                h.describe());
    }
}
