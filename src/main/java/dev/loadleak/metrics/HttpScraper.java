package dev.loadleak.metrics;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Fetches a metrics or JSON endpoint for the memory sampler (a separate client from the load
 * engine: sampling never competes with the load for connections).
 */
public final class HttpScraper {
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private final HttpClient client;
    private final Duration timeout;

    public HttpScraper(Duration timeout) {
        this(timeout, false);
    }

    /** {@code insecure}: accept any TLS certificate, as the scenario's {@code defaults.insecure} says. */
    public HttpScraper(Duration timeout, boolean insecure) {
        this.timeout = timeout;
        this.client = JdkHttp.client(timeout, insecure);
    }

    /** The body of a 2xx answer; anything else is a {@link MemoryProbe.ProbeException} with the reason. */
    public String fetch(URI uri, String bearerToken) throws MemoryProbe.ProbeException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (bearerToken != null) {
            b.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new MemoryProbe.ProbeException("HTTP " + r.statusCode() + " from " + uri
                        + (bearerToken == null ? " (set tokenEnv for a protected endpoint)" : " (the token was refused)"));
            }
            if (r.statusCode() / 100 != 2) {
                throw new MemoryProbe.ProbeException("HTTP " + r.statusCode() + " from " + uri);
            }
            if (r.body().length() > MAX_BODY) {
                throw new MemoryProbe.ProbeException("answer from " + uri + " is over 16 MB");
            }
            return r.body();
        } catch (HttpTimeoutException e) {
            throw new MemoryProbe.ProbeException("timeout after " + timeout.toMillis() + " ms from " + uri);
        } catch (ConnectException e) {
            throw new MemoryProbe.ProbeException("connection refused by " + uri);
        } catch (IOException e) {
            throw new MemoryProbe.ProbeException(e.getClass().getSimpleName() + " from " + uri
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemoryProbe.ProbeException("interrupted");
        }
    }
}
