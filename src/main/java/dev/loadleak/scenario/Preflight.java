package dev.loadleak.scenario;

import java.net.URI;

/**
 * Checked before any load: {@code url} (a path on the target, or a full URL) must answer 2xx
 * within {@code waitNanos} (polled), or the run stops with exit 3 and sends nothing.
 */
public record Preflight(String url, long waitNanos) {
    public static final long DEFAULT_WAIT_NANOS = 30_000_000_000L;

    public URI resolve(URI target) {
        return Confinement.resolve(target, url);
    }
}
