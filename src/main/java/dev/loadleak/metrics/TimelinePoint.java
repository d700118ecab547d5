package dev.loadleak.metrics;

/**
 * One second of a run (all phases and requests together).
 *
 * @param second   seconds since the run started (0-based)
 * @param requests requests completed in that second (successes and errors)
 * @param errors   of which failed
 * @param p50      corrected median latency of that second's successes, µs (0 when there were none)
 * @param p95      corrected 95th percentile, µs
 * @param p99      corrected 99th percentile, µs
 * @param max      corrected maximum, µs
 */
public record TimelinePoint(long second, long requests, long errors, long p50, long p95, long p99, long max) {
}
