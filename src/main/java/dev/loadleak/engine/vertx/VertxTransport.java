package dev.loadleak.engine.vertx;

import dev.loadleak.engine.ClientSettings;
import dev.loadleak.engine.PreparedRequest;
import dev.loadleak.engine.Transport;
import dev.loadleak.scenario.Defaults;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Requests through Vert.x's HttpClient: the general path, for what the lean client does not do
 * (TLS, HTTP/2, following redirects, URLs on other origins), or when a scenario asks for it
 * ({@code defaults.client: vertx}).
 */
public final class VertxTransport implements Transport {
    /** Marks a request that timed out before Vert.x gave it a stream. */
    private static final Object ABORTED = new Object();

    private final HttpClient client;
    private final boolean http2;
    private final long maxKeptBody;
    private long opened;

    public VertxTransport(Vertx vertx, Defaults protocol, int maxConnections, int timeoutMillis) {
        this.maxKeptBody = protocol.maxBody();
        this.http2 = protocol.http() == Defaults.HttpVersion.HTTP_2;
        client = vertx.createHttpClient(ClientSettings.options(protocol, timeoutMillis), ClientSettings.pool(maxConnections));
        // a connection's own failures are already counted by its requests: no log line per reset
        client.connectionHandler(conn -> {
            opened++;
            conn.exceptionHandler(t -> { });
        });
    }

    @Override
    public CompletableFuture<Void> warmUp(URI uri, int timeoutMillis) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        RequestOptions warm = new RequestOptions().setAbsoluteURI(uri.toString()).setTimeout(timeoutMillis);
        client.request(warm).compose(req -> {
            req.exceptionHandler(t -> { });
            return req.send().compose(resp -> {
                resp.exceptionHandler(t -> { });
                return resp.end();
            });
        }).onComplete(ignored -> ready.complete(null));
        return ready;
    }

    @Override
    public long send(InFlight x, long seq, SplittableRandom random) {
        PreparedRequest pr = x.request();
        Buffer body = pr.body(seq, random, x.user());
        client.request(pr.options(seq, random, x.user())).onComplete(ar -> {
            if (ar.failed()) {
                x.fail(ar.cause());
                return;
            }
            HttpClientRequest req = ar.result();
            if (x.handle() == ABORTED) {
                req.reset(0);
                return;
            }
            x.handle(req);
            req.response(rr -> {
                if (rr.failed()) {
                    x.fail(rr.cause());
                    return;
                }
                try {
                    response(x, req, rr.result(), maxKeptBody);
                } catch (RuntimeException | LinkageError e) {
                    // a bug must cost one request (counted as "other"), never hang the run
                    x.fail(e);
                }
            });
            req.exceptionHandler(x::fail);
            if (body == null) {
                req.end();
            } else {
                req.end(body);
            }
        });
        return body == null ? 0 : body.length();
    }

    private static void response(InFlight x, HttpClientRequest req, HttpClientResponse resp, long maxKeptBody) {
        resp.exceptionHandler(x::fail);
        int status = resp.statusCode();
        java.util.List<String> headers = null;
        if (x.request().needsHeaders()) {
            headers = new java.util.ArrayList<>();
            for (java.util.Map.Entry<String, String> h : resp.headers()) {
                headers.add(h.getKey());
                headers.add(h.getValue());
            }
        }
        java.util.List<String> kept = headers;
        if (x.request().needsBody()) {
            boundedBody(resp, maxKeptBody).onComplete(b -> {
                if (b.failed()) {
                    req.reset(0);
                    if (b.cause() instanceof BodyTooLarge t) {
                        x.tooLarge(t.getMessage());
                    } else {
                        x.fail(b.cause());
                    }
                } else {
                    x.response(status, kept, b.result().toString());
                }
            });
            return;
        }
        // drain the body without buffering it (the latency ends at its last byte), up to a cap
        long[] bytesRead = {0};
        resp.handler(buf -> {
            bytesRead[0] += buf.length();
            if (bytesRead[0] > ClientSettings.MAX_RESPONSE_BYTES) {
                req.reset(0);
                x.tooLarge("response body over " + ClientSettings.MAX_RESPONSE_BYTES + " bytes");
            }
        });
        resp.endHandler(v -> x.response(status, kept, null));
    }

    /** A body that went over the most that is kept. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge(long max) {
            super(Transport.keptBodyTooLarge(max), null, false, false);
        }
    }

    /**
     * The response body, kept up to {@code max} bytes: past that the future fails with
     * {@link BodyTooLarge} at once, and what came is dropped (Vert.x's own {@code body()} buffers
     * without a limit, and a target that streams forever would fill the heap).
     */
    static Future<Buffer> boundedBody(HttpClientResponse resp, long max) {
        Promise<Buffer> done = Promise.promise();
        Buffer[] body = {Buffer.buffer()};
        resp.handler(chunk -> {
            if (body[0] == null) {
                return;
            }
            if (body[0].length() + (long) chunk.length() > max) {
                body[0] = null;
                resp.handler(null);
                done.tryFail(new BodyTooLarge(max));
                return;
            }
            body[0].appendBuffer(chunk);
        });
        resp.exceptionHandler(done::tryFail);
        resp.endHandler(v -> {
            if (body[0] != null) {
                done.tryComplete(body[0]);
            }
        });
        return done.future();
    }

    @Override
    public void abort(InFlight x) {
        if (x.handle() instanceof HttpClientRequest req) {
            req.reset(0, new TimeoutException("request timeout"));
        } else {
            x.handle(ABORTED);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public long connectionsOpened() {
        return opened;
    }

    @Override
    public String describe() {
        return http2 ? "Vert.x HTTP/2" : "Vert.x HTTP/1.1";
    }
}
