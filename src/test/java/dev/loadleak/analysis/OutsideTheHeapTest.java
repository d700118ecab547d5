package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RSS that leaks while the heap floor does not: the growth is outside the managed heap. */
class OutsideTheHeapTest {
    private static MemorySeries series(String name, MemoryKind kind, String verdict, double slope, double lo, double hi) {
        LeakAnalysis a = new LeakAnalysis(LeakFinding.valueOf(verdict), slope, new double[] {lo, hi}, 0, 0.0001, 0.9, false, slope, List.of(),
                0, 100, List.of(), 5, new double[] {lo, hi}, null);
        return new MemorySeries(name, kind, false, List.of(), List.of(), a);
    }

    @Test
    void rssGrowsHeapDoesNot() {
        String w = ResultAssembler.outsideTheHeap(List.of(series("rss", MemoryKind.PROCESS, "LEAK", 120, 100, 140),
                series("heap-after-gc", MemoryKind.PROMETHEUS, "NO_LEAK", 1, -2, 3)));
        assertTrue(w.startsWith("growth is outside the managed heap (native memory, buffers, threads): rss grew 120.0 "
                + "MB/h (95 % CI 100.0–140.0) while heap-after-gc grew 1.0 MB/h (95 % CI -2.0–3.0)"), w);
        assertNull(ResultAssembler.outsideTheHeap(List.of(series("rss", MemoryKind.PROCESS, "LEAK", 120, 100, 140),
                series("heap", MemoryKind.PROMETHEUS, "LEAK", 118, 98, 138))), "both grow: the heap explains it");
        assertNull(ResultAssembler.outsideTheHeap(List.of(series("rss", MemoryKind.PROCESS, "LEAK", 120, 100, 140))),
                "no heap series: nothing to say");
    }
}
