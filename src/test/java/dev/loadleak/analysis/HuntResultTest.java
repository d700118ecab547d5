package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemorySeries;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hunt's ranking (most retained per request first) and its one-line conclusion. */
class HuntResultTest {
    private static HuntResult.Suspect s(String name, String verdict, double bytes) {
        return new HuntResult.Suspect(name, "heap", verdict == null ? null : LeakFinding.valueOf(verdict), bytes / 10, new double[] {0, 1},
                new MemorySeries.Retained(bytes, new double[] {bytes * 0.9, bytes * 1.1}, "request"), List.of(), "x",
                verdict.equals("INCONCLUSIVE") ? 144.0 : null);
    }

    @Test
    void ranksAndConcludes() {
        HuntResult h = HuntResult.of("v", "s", "http://127.0.0.1:1", 200, 20, 5, List.of(s("list", "NO_LEAK", 3),
                s("create", "LEAK", 2048), s("get", "NO_LEAK", -2), s("health", "NO_LEAK", 1)));
        assertEquals(List.of("create", "list", "health", "get"), h.ranking().stream().map(HuntResult.Suspect::request)
                .toList());
        assertEquals("create retains 2.0 KB per request; the other 3 requests (list, health, get): no growth above 5.0 MB/h",
                h.conclusion());
        HuntResult none = HuntResult.of("v", "s", "t", 200, 20, 5, List.of(s("list", "NO_LEAK", 3),
                s("get", "INCONCLUSIVE", 9)));
        // an undecided segment is never reported as "no request leaks", and says what would decide it
        assertEquals("no leak established; ruled out for list: no growth above 5.0 MB/h; inconclusive for get (segments "
                + "of about 3 min (--segment) would decide, or a rate about 27.0 x higher for as long)", none.conclusion());
        HuntResult allFlat = HuntResult.of("v", "s", "t", 200, 60, 5, List.of(s("list", "NO_LEAK", 3)));
        assertEquals("no request leaks above 5.0 MB/h; ruled out for list: no growth above 5.0 MB/h", allFlat.conclusion());
    }

    @Test
    void anEstablishedLeakOutranksANoisySlopeWithMoreBytes() {
        // the case: /health's noise slope was larger than the leaking route's, and ranked first
        HuntResult h = HuntResult.of("v", "s", "t", 300, 60, 5, List.of(s("health", "INCONCLUSIVE", 700),
                s("cart", "LEAK", 366), s("search", "NO_LEAK", 900)));
        assertEquals(List.of("cart", "health", "search"), h.ranking().stream().map(HuntResult.Suspect::request).toList());
    }
}
