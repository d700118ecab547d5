package dev.loadleak.result;

/**
 * What loadleak itself used during the run, so that a reader can tell whether the generator was a
 * bottleneck: its peak resident memory and its CPU time.
 *
 * @param peakRssBytes  the process' peak resident set (VmHWM), 0 where /proc is not available
 * @param cpuSeconds    CPU time (user + system) spent during the run
 * @param cores         processors available to loadleak
 * @param eventLoops    event loops the engine ran on
 * @param cpuShare      cpuSeconds / (duration × cores): 1.0 = every core busy the whole run
 * @param client        which HTTP client carried the requests ("lean HTTP/1.1", "Vert.x HTTP/2", …)
 */
public record Generator(long peakRssBytes, double cpuSeconds, int cores, int eventLoops, double cpuShare, String client) {
    /** Above this share of the machine's CPU, the generator may have been the bottleneck. */
    public static final double SATURATED_SHARE = 0.9;
}
