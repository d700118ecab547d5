package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.Generator;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Merging shard results: exact totals and percentiles, timelines aligned by wall-clock second, checks. */
class MergeTest {
    private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

    /** A shard's 10 s result, started {@code startMillis} after T0, with every recorded value also put in {@code all}. */
    private static Merge.ShardInput shard(int index, int count, long startMillis, long seed, Histogram all,
                                          boolean withSeconds) {
        SplittableRandom r = new SplittableRandom(seed);
        Histogram total = new Histogram(3);
        Map<Long, Histogram> seconds = new HashMap<>();
        List<TimelinePoint> timeline = new ArrayList<>();
        long start = T0.toEpochMilli() + startMillis;
        for (int s = 0; s < 10; s++) {
            Histogram sec = new Histogram(3);
            int n = 50 + r.nextInt(50);
            for (int i = 0; i < n; i++) {
                long v = 500 + (long) (r.nextDouble() * r.nextDouble() * 200_000 * (index + 1));
                sec.recordValue(v);
                total.recordValue(v);
                all.recordValue(v);
            }
            sec.setStartTimeStamp(start + s * 1000L);
            seconds.put(start + s * 1000L, sec);
            timeline.add(new TimelinePoint(s, n + 1, 1, sec.getValueAtPercentile(50), sec.getValueAtPercentile(95),
                    sec.getValueAtPercentile(99), sec.getMaxValue()));
        }
        long[] kinds = new long[ErrorKind.values().length];
        kinds[ErrorKind.TIMEOUT.ordinal()] = 10;
        Stats st = Stats.of(total, total, kinds, 3, total.getTotalCount() + 10, 0, 10);
        Map<String, Stats> req = new LinkedHashMap<>();
        req.put("list", st);
        RunResult rr = RunResult.builder().loadleakVersion("test").scenario(new RunResult.ScenarioInfo("s", "s.yaml",
                        "http://127.0.0.1:1", List.of(new RunResult.PhaseInfo("steady", 10, "constant 300/s", 300, false,
                        "corrected")), List.of("list")))
                .startedAt(Instant.ofEpochMilli(start).toString()).durationSeconds(10).intendedRequests(1000).overall(st)
                .requests(req).phases(Map.of("steady", st)).errorSamples(Map.of("timeout", "x")).timeline(timeline)
                .memory(List.of()).targetMetrics(Map.of()).connectionsOpened(4)
                .generator(new Generator(100_000_000L, 2.0, 2, 2, 0.1, "lean HTTP/1.1"))
                .shard(new dev.loadleak.result.Shard(index, count)).build();
        return new Merge.ShardInput("shard-" + index, rr, withSeconds ? seconds : null);
    }

    @Test
    void totalsAreSummedAndPercentilesAreThoseOfOneHistogramOfEveryValue() throws Exception {
        Histogram all = new Histogram(3);
        List<Merge.ShardInput> in = List.of(shard(2, 3, 300, 3, all, true), shard(0, 3, 0, 1, all, true),
                shard(1, 3, 900, 2, all, true));
        RunResult m = Merge.merge(in);
        long requests = in.stream().mapToLong(s -> s.result().load().overall().requests()).sum();
        assertEquals(requests, m.load().overall().requests());
        assertEquals(all.getTotalCount(), m.load().overall().successes());
        assertEquals(30, m.load().overall().errorsByKind().get("timeout"));
        assertEquals(9, m.load().overall().lateSends());
        assertEquals(3000, m.load().intendedRequests());
        assertEquals(12, m.load().connectionsOpened());
        Stats.Summary c = m.load().overall().latencyMicros().corrected();
        assertEquals(all.getValueAtPercentile(50), c.p50());
        assertEquals(all.getValueAtPercentile(95), c.p95());
        assertEquals(all.getValueAtPercentile(99), c.p99());
        assertEquals(all.getValueAtPercentile(99.9), c.p999());
        assertEquals(all.getMaxValue(), c.max());
        assertEquals(m.load().overall(), m.load().requests().get("list"));
        assertEquals(requests / 10.0, m.load().overall().throughputPerSecond(), 0.01);
        assertEquals(null, m.provenance().shard());
        assertEquals(List.of("shard-0", "shard-1", "shard-2"), m.provenance().mergedFrom());
        assertEquals(6.0, m.provenance().generator().cpuSeconds(), 1e-9);
        assertEquals(T0.toString(), Instant.parse(m.provenance().startedAt()).toString());
        assertEquals(10.9, m.load().durationSeconds(), 1e-9);
    }

    @Test
    void timelineSecondsAreAlignedByWallClockAndTheirPercentilesAreExact() throws Exception {
        Histogram all = new Histogram(3);
        Merge.ShardInput a = shard(0, 2, 0, 11, all, true);
        Merge.ShardInput b = shard(1, 2, 2000, 12, all, true); // started 2 s later
        RunResult m = Merge.merge(List.of(a, b));
        assertEquals(12, m.load().timeline().size(), "seconds 0..11");
        TimelinePoint s0 = m.load().timeline().get(0);
        assertEquals(a.result().load().timeline().get(0).requests(), s0.requests(), "second 0 is shard 0's alone");
        TimelinePoint s5 = m.load().timeline().get(5);
        assertEquals(a.result().load().timeline().get(5).requests() + b.result().load().timeline().get(3).requests(), s5.requests());
        Histogram h = a.secondsByEpochMillis().get(T0.toEpochMilli() + 5000).copy();
        h.add(b.secondsByEpochMillis().get(T0.toEpochMilli() + 5000));
        assertEquals(h.getValueAtPercentile(99), s5.p99());
        assertEquals(h.getValueAtPercentile(50), s5.p50());
        assertTrue(m.warnings().stream().noneMatch(w -> w.contains("upper bound")), m.warnings().toString());
    }

    @Test
    void withoutIntervalLogsTheSecondsAreUpperBoundsAndSaySo() throws Exception {
        Histogram all = new Histogram(3);
        Merge.ShardInput a = shard(0, 2, 0, 21, all, false);
        Merge.ShardInput b = shard(1, 2, 0, 22, all, true);
        RunResult m = Merge.merge(List.of(a, b));
        assertEquals(Math.max(a.result().load().timeline().get(4).p99(), b.result().load().timeline().get(4).p99()),
                m.load().timeline().get(4).p99());
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("upper bound")), m.warnings().toString());
    }

    @Test
    void missingDuplicateOrForeignShardsAreRefused() {
        Histogram all = new Histogram(3);
        Merge.MergeException missing = assertThrows(Merge.MergeException.class,
                () -> Merge.merge(List.of(shard(0, 3, 0, 1, all, true), shard(2, 3, 0, 2, all, true))));
        assertTrue(missing.getMessage().contains("shard 1/3 missing"), missing.getMessage());
        Merge.MergeException twice = assertThrows(Merge.MergeException.class,
                () -> Merge.merge(List.of(shard(0, 2, 0, 1, all, true), shard(0, 2, 0, 2, all, true))));
        assertTrue(twice.getMessage().contains("given twice"), twice.getMessage());
        Merge.MergeException other = assertThrows(Merge.MergeException.class,
                () -> Merge.merge(List.of(shard(0, 2, 0, 1, all, true), shard(1, 3, 0, 2, all, true))));
        assertTrue(other.getMessage().contains("different runs"), other.getMessage());
        RunResult whole = SyntheticRuns.run(1, 1000, 1, 10, 0);
        Merge.MergeException notShard = assertThrows(Merge.MergeException.class,
                () -> Merge.merge(List.of(new Merge.ShardInput("whole.json", whole, null))));
        assertTrue(notShard.getMessage().contains("not a shard"), notShard.getMessage());
    }
}
