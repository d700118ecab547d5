package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.ErrorKind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * The tester itself must not leak: the retained size of the recording state (recorders, counters
 * and accumulated histograms) does not grow with the number of requests. Histograms are dense and
 * auto-resizing: their size follows the largest latency seen (about 100 KB each up to 1 s), never
 * the count; both runs here see the same values. Only the per-second timeline grows, with time, so
 * both runs are collected the same number of times.
 */
class FootprintTest {
    private static long retainedAfter(int requests) {
        RunRecorder rec = new RunRecorder(2, 3, 10_000_000L);
        Collector col = new Collector(rec, 0);
        SplittableRandom r = new SplittableRandom(11);
        int collects = 10;
        long n = 0;
        for (int c = 0; c < collects; c++) {
            // every cell sees the largest latency (2 s) in every interval, so histogram sizes, which
            // follow the largest value seen, are the same in both runs
            for (int phase = 0; phase < 2; phase++) {
                for (int request = 0; request < 3; request++) {
                    rec.onSuccess(phase, request, 200, 0, 0, 2_000_000_000L, 0);
                }
            }
            for (int i = 0; i < requests / collects; i++) {
                int phase = r.nextInt(2);
                int request = r.nextInt(3);
                long intended = 1_000_000L * i;
                // 2000 latencies, 1 ms to 2 s log-spaced: what differs between the runs is how many
                // requests were recorded, not the range of values seen
                long latency = (long) (1_000_000L * Math.pow(2000, (n++ % 2000) / 1999.0));
                rec.onSend(phase, request, intended, intended + 5_000, 64);
                if (i % 50 == 0) {
                    rec.onError(phase, request, ErrorKind.TIMEOUT, "timeout", intended, intended, intended + latency);
                } else {
                    rec.onSuccess(phase, request, 200, intended, intended + 5_000, intended + latency, 0);
                }
            }
            col.collect((c + 1) * 1_000_000_000L);
        }
        return GraphLayout.parseInstance(rec, col).totalSize();
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void recordingStateDoesNotGrowWithRequests() {
        long after10k = retainedAfter(10_000);
        long after100k = retainedAfter(100_000);
        System.out.printf("recording state: %d bytes after 10k requests, %d bytes after 100k%n", after10k, after100k);
        assertTrue(Math.abs(after100k - after10k) < 1024, after10k + " vs " + after100k);
    }
}
