package dev.loadleak.metrics;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Fetches a metrics or JSON endpoint for the memory sampler (a separate client from the load
 * engine: sampling never competes with the load for connections).
 */
public final class HttpScraper {
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private final Duration timeout;
    private final boolean insecure;

    public HttpScraper(Duration timeout) {
        this(timeout, false);
    }

    /** {@code insecure}: accept any TLS certificate, as the scenario's {@code defaults.insecure} says. */
    public HttpScraper(Duration timeout, boolean insecure) {
        this.timeout = timeout;
        this.insecure = insecure;
    }

    /** The body of a 2xx answer; anything else is a {@link MemoryProbe.ProbeException} with the reason. */
    public String fetch(URI uri, String bearerToken) throws MemoryProbe.ProbeException {
        try {
            JdkHttp.Response r = JdkHttp.get(uri, timeout, bearerToken, insecure, MAX_BODY);
            if (r.status() == 401 || r.status() == 403) {
                throw new MemoryProbe.ProbeException("HTTP " + r.status() + " from " + uri
                        + (bearerToken == null ? " (set tokenEnv for a protected endpoint)" : " (the token was refused)"));
            }
            if (r.status() / 100 != 2) {
                throw new MemoryProbe.ProbeException("HTTP " + r.status() + " from " + uri);
            }
            if (r.truncated()) {
                throw new MemoryProbe.ProbeException("answer from " + uri + " is over 16 MB");
            }
            return r.body();
        } catch (SocketTimeoutException e) {
            throw new MemoryProbe.ProbeException("timeout after " + timeout.toMillis() + " ms from " + uri);
        } catch (ConnectException e) {
            throw new MemoryProbe.ProbeException("connection refused by " + uri);
        } catch (IOException | IllegalArgumentException e) {
            throw new MemoryProbe.ProbeException(e.getClass().getSimpleName() + " from " + uri
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }
}
