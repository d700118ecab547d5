package dev.loadleak.metrics;

/** Reads one memory figure of the target, in bytes. A failure is a gap with a reason, never a crash. */
@FunctionalInterface
public interface MemoryProbe {
    /** @throws ProbeException with the reason the sample could not be taken */
    double sample() throws ProbeException;

    /** Why a sample could not be taken ("connection refused", "metric not found", ...). */
    final class ProbeException extends Exception {
        public ProbeException(String reason) {
            super(reason, null, false, false);
        }
    }
}
