package dev.loadleak.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The medians and intervals {@code history check} prints, and {@code history show} of one run. */
class HistoryCheckTest {
    @TempDir
    Path tmp;

    @Test
    void aMedianHasItsSignTestIntervalOrItsRangeWithTheRangesCoverage() {
        // 10 runs: P(B ≤ 1) = 11/1024 ≤ 2.5 % < P(B ≤ 2) → ranks 2 and 9, coverage 1 − 22/1024
        HistoryCheck.Median m = HistoryCheck.Median.of(new double[] {10, 3, 7, 1, 9, 2, 8, 4, 6, 5});
        assertEquals(5.5, m.value());
        assertEquals(2, m.low());
        assertEquals(9, m.high());
        assertEquals(1 - 22 / 1024.0, m.coverage(), 1e-12);
        // 6 runs: the smallest size with a 95 % interval (the range, 1 − 2/64)
        HistoryCheck.Median six = HistoryCheck.Median.of(new double[] {6, 1, 5, 2, 4, 3});
        assertEquals(1, six.low());
        assertEquals(6, six.high());
        assertEquals(1 - 2 / 64.0, six.coverage(), 1e-12);
        // 4 runs: only the range, which covers the median 87.5 % of the time — said, not rounded up to 95
        HistoryCheck.Median four = HistoryCheck.Median.of(new double[] {10591, 51839, 10519, 10575});
        assertEquals(10583, four.value());
        assertEquals(0.875, four.coverage(), 1e-12);
        assertEquals("10583 (87 % CI 10519–51839, 4 runs)", four.toString());
    }

    @Test
    void checkPrintsMediansAndShowPrintsOneRunsFigures() throws Exception {
        Path file = tmp.resolve("h.db");
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        long[] p95 = {5000, 5100, 4900, 5050, 4950, 5020, 4980, 8000, 8100, 7900, 8050};
        try (HistoryStore h = HistoryStore.open(file)) {
            for (int i = 0; i < p95.length; i++) {
                h.add(HistoryFixtures.result("gate", t0.plusSeconds(60L * i).toString(), p95[i]),
                        Map.of("commit", "c" + i), null);
            }
        }
        StringWriter out = new StringWriter();
        CommandLine cl = Cli.create(CommandLine.defaultFactory());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        assertEquals(1, cl.execute("history", "check", file.toString(), "--metrics", "p95"), out.toString());
        String text = out.toString();
        assertTrue(text.contains("at run 8 of 11"), text);
        assertTrue(text.matches("(?s).*gate p95: 50\\d\\d \\(98 % CI 49\\d\\d–5\\d{3}, 7 runs\\) -> 80\\d\\d \\(87 % CI "
                + "7\\d{3}–8\\d{3}, 4 runs\\).*REGRESSION, still in force.*"), text);

        out.getBuffer().setLength(0);
        assertEquals(0, cl.execute("history", "show", file.toString(), "-1"), out.toString());
        text = out.toString();
        assertTrue(text.startsWith("run 11 of 11: gate at 2026-12-01T00:10:00Z"), text);
        assertTrue(text.contains("label commit = c10"), text);
        assertTrue(text.matches("(?s).*overall:.*  p95 +8\\.\\dms.*request:list:.*throughput +200\\.0/s.*"), text);
        assertTrue(text.contains("encoded histograms (percentiles recomputable exactly): overall (corrected)"), text);

        out.getBuffer().setLength(0);
        assertEquals(2, cl.execute("history", "show", file.toString(), "12"));
        assertTrue(out.toString().contains("RUN 12: " + file + " has 11 run(s); use 1..11 or -1 for the newest"), out.toString());
    }
}
