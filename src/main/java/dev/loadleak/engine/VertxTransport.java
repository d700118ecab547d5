package dev.loadleak.engine;

import dev.loadleak.scenario.Defaults;
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
final class VertxTransport implements Transport {
    /** Marks a request that timed out before Vert.x gave it a stream. */
    private static final Object ABORTED = new Object();

    private final HttpClient client;
    private final boolean http2;
    private long opened;

    VertxTransport(Vertx vertx, Defaults protocol, int maxConnections, int timeoutMillis) {
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
                    response(x, req, rr.result());
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

    private static void response(InFlight x, HttpClientRequest req, HttpClientResponse resp) {
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
            resp.body().onComplete(b -> {
                if (b.failed()) {
                    x.fail(b.cause());
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
            if (bytesRead[0] > HttpEngine.MAX_RESPONSE_BYTES) {
                req.reset(0);
                x.tooLarge();
            }
        });
        resp.endHandler(v -> x.response(status, kept, null));
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
