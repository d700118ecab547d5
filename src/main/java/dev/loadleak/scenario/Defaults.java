package dev.loadleak.scenario;

import java.util.Map;

/**
 * Settings shared by every request unless the request overrides them.
 *
 * @param timeoutNanos    whole-request timeout (connect, send, wait, read), default 10 s
 * @param maxConnections  bound on open connections (and so on requests in flight), default 64
 * @param headers         headers added to every request (may hold variables)
 * @param insecure        accept any TLS certificate (self-signed staging certificates); default false
 * @param followRedirects redirects followed per request (0 = none, the default); a chain longer than
 *                        this is an error of kind {@code redirects}
 * @param http            the HTTP version: 2 is h2 via ALPN over TLS, h2c (prior knowledge) over plain TCP
 * @param pipelining      HTTP/1.1 requests in flight per connection (1 = no pipelining, the default)
 * @param client          {@code vertx}: always Vert.x's HttpClient; {@code auto} (the default): plain
 *                        HTTP/1.1 on the target's origin goes through loadleak's lean client, which
 *                        costs about half the CPU per request
 * @param maxBody         the largest response body kept for extraction and checks
 * @param cookies         whether users keep a cookie jar (default true): the cookies of a {@code requests:}
 *                        scenario's users, and the default of each flow's {@code cookies}
 */
public record Defaults(long timeoutNanos, int maxConnections, Map<String, Template> headers, boolean insecure,
                       int followRedirects, HttpVersion http, int pipelining, Client client, long maxBody,
                       boolean cookies) {
    /** The HTTP version requests speak ({@code http: 1.1 | 2}). */
    public enum HttpVersion { HTTP_1_1, HTTP_2 }

    /** Which client carries the requests ({@code client: auto | vertx}). */
    public enum Client { AUTO, VERTX }

    public static final long DEFAULT_TIMEOUT_NANOS = 10_000_000_000L;
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final int MAX_REDIRECTS = 20;
    public static final int MAX_PIPELINING = 128;
    /** The largest response body kept (for extraction and checks) unless {@code maxBody} raises it. */
    public static final long DEFAULT_MAX_BODY = 1024 * 1024;
    /** The most {@code maxBody} may be; also the most any body is read (and not kept) before it counts as too large. */
    public static final long MAX_BODY_LIMIT = 64L * 1024 * 1024;

    public Defaults {
        headers = Map.copyOf(headers);
    }

    public static Defaults standard() {
        return new Defaults(DEFAULT_TIMEOUT_NANOS, DEFAULT_MAX_CONNECTIONS, Map.of(), false, 0, HttpVersion.HTTP_1_1, 1,
                Client.AUTO, DEFAULT_MAX_BODY, true);
    }

    /** Requests one connection may carry at once: the pipelining depth over HTTP/1.1, streams over HTTP/2. */
    public int requestsPerConnection() {
        return http == HttpVersion.HTTP_2 ? Math.max(1, pipelining) : pipelining;
    }
}
