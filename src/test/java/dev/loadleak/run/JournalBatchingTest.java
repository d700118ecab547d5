package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loadleak.metrics.Collector;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.scenario.Confinement;
import dev.loadleak.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * After its first minute the journal writes a line every 10 s, with those seconds' histograms added
 * up and each second's timeline point: the rebuilt result is the same sums. Synthetic seconds, no
 * clock, no network.
 */
class JournalBatchingTest {
    @Test
    void afterTheFirstMinuteALineHoldsTenSecondsAndTheSumsAreUnchanged() throws Exception {
        Path dir = Files.createTempDirectory("journal-batch");
        var scenario = ScenarioLoader.parse("b.yaml", "name: batch\ntarget: http://127.0.0.1:9\n"
                + "phases: [{duration: 2m, rate: 10/s}]\nrequests: [{name: a, path: /a}, {name: b, path: /b}]\n");
        Journal j = Journal.open(dir, scenario, scenario.redactor(), Instant.parse("2026-12-02T00:00:00Z"), "test", Shard.WHOLE,
                RunListener.NONE);
        SplittableRandom r = new SplittableRandom(7);
        Histogram[] all = {Collector.newHistogram(), Collector.newHistogram()};
        long[] sent = new long[2];
        int seconds = 85;
        for (int s = 0; s < seconds; s++) {
            Histogram[] c = {Collector.newHistogram(), Collector.newHistogram()};
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < 10; i++) {
                    c[k].recordValue(100 + r.nextInt(20_000));
                }
                all[k].add(c[k]);
                sent[k] += 10;
            }
            Histogram[] none = {Collector.newHistogram(), Collector.newHistogram()};
            j.onCells(new Collector.Interval(s, s + 1, new TimelinePoint(s, 20, 0, 1, 2, 3, 4), c, c, none,
                    new Histogram[] {Collector.newHistogram()}, new long[2 * 12], new long[2], sent.clone(),
                    new long[2], new String[12], null));
        }
        j.close(); // writes the last 5 seconds, as for a run that could not write its result
        assertEquals(1 + 60 + 2 + 1, Files.readAllLines(dir.resolve(Journal.FILE)).size(),
                "a head, 60 lines a second, two of 10 s, one of the last 5 s");
        RunResult rebuilt = JournalReplay.rebuild(dir, name -> null, Confinement.NONE).result();
        assertEquals(seconds, rebuilt.load().timeline().size());
        for (int k = 0; k < 2; k++) {
            var stats = rebuilt.load().requests().get(k == 0 ? "a" : "b");
            assertEquals(all[k].getTotalCount(), stats.requests());
            assertEquals(all[k].getValueAtPercentile(95), stats.latencyMicros().corrected().p95());
            assertEquals(all[k].getMaxValue(), stats.latencyMicros().corrected().max());
        }
    }
}
