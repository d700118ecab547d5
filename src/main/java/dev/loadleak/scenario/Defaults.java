package dev.loadleak.scenario;

import java.util.Map;

/**
 * Settings shared by every request unless the request overrides them.
 *
 * @param timeoutNanos   whole-request timeout (connect, send, wait, read), default 10 s
 * @param maxConnections bound on open connections (and so on requests in flight), default 64
 * @param headers        headers added to every request (may hold variables)
 */
public record Defaults(long timeoutNanos, int maxConnections, Map<String, Template> headers) {
    public static final long DEFAULT_TIMEOUT_NANOS = 10_000_000_000L;
    public static final int DEFAULT_MAX_CONNECTIONS = 64;

    public Defaults {
        headers = Map.copyOf(headers);
    }
}
