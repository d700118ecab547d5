package dev.loadleak.result;

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
 * @param durationSeconds     the time the rates are per
 * @param throughputPerSecond completed requests per second
 * @param errorRate           errors / requests, 0..1
 * @param lateSends           requests that left more than the late bound after their intended time
 * @param uploadBytes         request body bytes sent
 * @param uploadMBPerSecond   uploadBytes / duration, in MB (10^6 bytes) per second
 * @param latencyMicros       null when no request succeeded: no percentile of nothing
 * @param histograms          the histograms themselves (HdrHistogram compressed, base64)
 * @param errorLatencyMicros  corrected latency of the answers that arrived but failed (a status, an
 *                            {@code expect}): how fast the errors came back; null when there were none
 */
public record Stats(long requests, long successes, long errors, double errorRate, double durationSeconds,
                    double throughputPerSecond, long sent, long lateSends, long uploadBytes, double uploadMBPerSecond,
                    Map<String, Long> errorsByKind, Latency latencyMicros, Histograms histograms,
                    Summary errorLatencyMicros) {

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

        /** The figure a criterion names: p50 ... p99.9, max, mean. */
        public double get(String metric) {
            switch (metric) {
                case "p50": return p50;
                case "p90": return p90;
                case "p95": return p95;
                case "p99": return p99;
                case "p99.9": return p999;
                case "max": return max;
                case "mean": return mean;
                default: throw new IllegalArgumentException("not a latency metric: " + metric);
            }
        }
    }

    /**
     * Base64 of HdrHistogram's compressed encoding; {@link #decode} reads it back exactly.
     * {@code answeredErrors} is the failed answers' corrected latency (null in older results).
     */
    public record Histograms(String corrected, String uncorrected, String answeredErrors) {
    }

    public static Stats of(Histogram corrected, Histogram uncorrected, long[] errorsByKind, long lateSends, long sent,
                           long uploadBytes, double durationSeconds) {
        Histogram noAnsweredErrors = uncorrected.copy(); // the same settings, none recorded
        noAnsweredErrors.reset();
        return of(corrected, uncorrected, noAnsweredErrors, errorsByKind, lateSends, sent, uploadBytes,
                durationSeconds);
    }

    public static Stats of(Histogram corrected, Histogram uncorrected, Histogram answeredErrors, long[] errorsByKind,
                           long lateSends, long sent, long uploadBytes, double durationSeconds) {
        // uncorrected holds one value per response; corrected may hold synthetic ones (closed phases)
        long successes = uncorrected.getTotalCount();
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
        double upload = durationSeconds <= 0 ? 0 : uploadBytes / durationSeconds / 1e6;
        Latency latency = successes == 0 ? null : new Latency(Summary.of(corrected), Summary.of(uncorrected));
        return new Stats(requests, successes, errors, rate, round(durationSeconds, 3), round(throughput, 2), sent,
                lateSends, uploadBytes, round(upload, 3), byKind, latency,
                new Histograms(encode(corrected), encode(uncorrected), encode(answeredErrors)),
                answeredErrors.getTotalCount() == 0 ? null : Summary.of(answeredErrors));
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
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
