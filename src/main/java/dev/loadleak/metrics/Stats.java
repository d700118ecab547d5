package dev.loadleak.metrics;

import dev.loadleak.engine.ErrorKind;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The measured figures of one group of requests (overall, one request, one phase): the shape of
 * {@code overall}, {@code requests.<name>} and {@code phases.<name>} in result.json.
 *
 * @param requests            completed requests (successes and errors)
 * @param sent                requests sent (completed, or still in flight when an interrupted run ended)
 * @param throughputPerSecond completed requests per second of planned duration
 * @param errorRate           errors / requests, 0..1
 * @param lateSends           requests that left more than the late bound after their intended time
 * @param latencyMicros       null when no request succeeded: no percentile of nothing
 * @param histograms          the histograms themselves (HdrHistogram compressed, base64)
 */
public record Stats(long requests, long successes, long errors, double errorRate, double throughputPerSecond,
                    long sent, long lateSends, Map<String, Long> errorsByKind, Latency latencyMicros,
                    Histograms histograms) {

    /** Corrected (from intended send time) and uncorrected (from actual send time) summaries. */
    public record Latency(Summary corrected, Summary uncorrected) {
    }

    /** Percentiles in microseconds. */
    public record Summary(long p50, long p90, long p95, long p99, long p999, long max, double mean) {
        public static Summary of(Histogram h) {
            return new Summary(h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(95),
                    h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
                    Math.round(h.getMean() * 10) / 10.0);
        }
    }

    /** Base64 of HdrHistogram's compressed encoding; {@link #decode} reads it back exactly. */
    public record Histograms(String corrected, String uncorrected) {
    }

    public static Stats of(Histogram corrected, Histogram uncorrected, long[] errorsByKind, long lateSends, long sent,
                           double durationSeconds) {
        long successes = corrected.getTotalCount();
        long errors = 0;
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (ErrorKind k : ErrorKind.values()) {
            long n = errorsByKind[k.ordinal()];
            errors += n;
            if (n > 0) {
                byKind.put(k.label(), n);
            }
        }
        long requests = successes + errors;
        double rate = requests == 0 ? 0 : (double) errors / requests;
        double throughput = durationSeconds <= 0 ? 0 : requests / durationSeconds;
        Latency latency = successes == 0 ? null : new Latency(Summary.of(corrected), Summary.of(uncorrected));
        return new Stats(requests, successes, errors, rate, Math.round(throughput * 100) / 100.0, sent, lateSends,
                byKind, latency, new Histograms(encode(corrected), encode(uncorrected)));
    }

    public static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int len = h.encodeIntoCompressedByteBuffer(buf, 9);
        byte[] bytes = new byte[len];
        buf.flip();
        buf.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded HdrHistogram: " + e.getMessage(), e);
        }
    }
}
