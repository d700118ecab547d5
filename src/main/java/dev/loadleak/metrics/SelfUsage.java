package dev.loadleak.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** loadleak's own resource use, read from /proc/self and the process handle. */
public final class SelfUsage {
    private SelfUsage() {
    }

    /** Peak resident set (VmHWM) in bytes, or 0 where /proc/self/status cannot be read. */
    public static long peakRssBytes() {
        return statusKb("VmHWM:") * 1024;
    }

    /** Current resident set (VmRSS) in bytes, or 0. */
    public static long rssBytes() {
        return statusKb("VmRSS:") * 1024;
    }

    private static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc hidden: the figure is simply not known
        }
        return 0;
    }

    /** CPU time (user + system) of this process so far, in seconds; 0 when the platform does not say. */
    public static double cpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }
}
