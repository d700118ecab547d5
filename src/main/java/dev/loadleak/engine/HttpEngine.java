package dev.loadleak.engine;

import dev.loadleak.scenario.RequestSpec;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Sends a plan's requests on one Vert.x event loop over a keep-alive pool bounded by
 * {@code maxConnections}.
 *
 * <p>Open model, as wrk2 does it: the intended send time of every request comes from the
 * phase's {@link Schedule}. A 1 ms tick and every completion call {@link #dispatch}, which sends
 * all requests that are due while a connection is free. A request that is due while every
 * connection is busy simply waits (the backlog is the distance between "due" and "next", no queue
 * object); it leaves when a connection frees up, and its latency is still measured from its
 * intended time, so the wait is visible in the corrected latency and in the late-send count.
 *
 * <p>All state below is touched only on the engine's context, so it needs no synchronisation.
 */
public final class HttpEngine {
    /** How a run ended. */
    public enum Status { COMPLETED, INTERRUPTED }

    /** What the engine did: when it started and ended (engine clock) and how many it sent. */
    public record Outcome(Status status, long startNanos, long endNanos, long sent, long abandonedInFlight) {
    }

    private static final long TICK_MILLIS = 1;
    private static final long STOP_GRACE_MILLIS = 2000;

    private final Vertx vertx;
    private final Clock clock;
    private final EnginePlan plan;
    private final ResultSink sink;
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    private final RequestOptions[] options;
    private final Buffer[] bodies;

    private Context context;
    private HttpClient client;
    private long tickTimer = -1;
    private long start;
    private int phase;
    private long nextInPhase;
    private long sentTotal;
    private int inFlight;
    private boolean stopping;

    public HttpEngine(Vertx vertx, Clock clock, EnginePlan plan, ResultSink sink) {
        this.vertx = vertx;
        this.clock = clock;
        this.plan = plan;
        this.sink = sink;
        List<RequestSpec> specs = plan.requests();
        this.options = new RequestOptions[specs.size()];
        this.bodies = new Buffer[specs.size()];
        long timeoutMillis = Math.max(1, plan.timeoutNanos() / 1_000_000);
        for (int i = 0; i < specs.size(); i++) {
            RequestSpec r = specs.get(i);
            String url = r.path().startsWith("/") ? plan.target().resolve(r.path()).toString() : r.path();
            RequestOptions o = new RequestOptions().setMethod(HttpMethod.valueOf(r.method())).setAbsoluteURI(url)
                    .setConnectTimeout(timeoutMillis);
            r.headers().forEach(o::putHeader);
            options[i] = o;
            bodies[i] = r.body() == null ? null : Buffer.buffer(r.body());
        }
    }

    /** Starts sending; the future completes when every request has completed or been abandoned. */
    public CompletableFuture<Outcome> start() {
        start = clock.nanoTime();
        context = vertx.getOrCreateContext();
        context.runOnContext(v -> begin());
        return done;
    }

    /** Stops sending (e.g. on Ctrl-C); in-flight requests get up to 2 s to complete. */
    public void stop() {
        if (context == null) {
            return;
        }
        context.runOnContext(v -> {
            if (stopping || done.isDone()) {
                return;
            }
            stopping = true;
            if (inFlight == 0) {
                finish();
            } else {
                vertx.setTimer(STOP_GRACE_MILLIS, id -> finish());
            }
        });
    }

    /** The engine clock's time at which the run started: intended send times count from it. */
    public long startNanos() {
        return start;
    }

    private void begin() {
        HttpClientOptions co = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setKeepAliveTimeout(300).setConnectTimeout((int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, plan.timeoutNanos() / 1_000_000)));
        client = vertx.createHttpClient(co, new PoolOptions().setHttp1MaxSize(plan.maxConnections()));
        tickTimer = vertx.setPeriodic(TICK_MILLIS, id -> dispatch());
        dispatch();
    }

    private void dispatch() {
        long now = clock.nanoTime();
        List<EnginePlan.PhasePlan> phases = plan.phases();
        while (!stopping && phase < phases.size()) {
            EnginePlan.PhasePlan p = phases.get(phase);
            if (nextInPhase >= p.schedule().count()) {
                phase++;
                nextInPhase = 0;
                continue;
            }
            long intended = start + p.startOffsetNanos() + p.schedule().offsetNanos(nextInPhase);
            if (intended > now || inFlight >= plan.maxConnections()) {
                break;
            }
            send(phase, plan.mix().pick(sentTotal), intended, now);
            nextInPhase++;
            sentTotal++;
        }
        if (!stopping && phase >= phases.size() && inFlight == 0) {
            finish();
        }
    }

    private void send(int phaseIndex, int request, long intended, long now) {
        Exchange x = new Exchange(phaseIndex, request, intended, now);
        inFlight++;
        sink.onSend(phaseIndex, request, intended, now);
        x.timer = vertx.setTimer(Math.max(1, plan.timeoutNanos() / 1_000_000), id -> x.timeout());
        client.request(options[request]).onComplete(ar -> {
            if (ar.failed()) {
                x.fail(ar.cause());
                return;
            }
            HttpClientRequest req = ar.result();
            if (x.finished) {
                req.reset(0);
                return;
            }
            x.req = req;
            req.response(rr -> {
                if (rr.failed()) {
                    x.fail(rr.cause());
                    return;
                }
                HttpClientResponse resp = rr.result();
                resp.exceptionHandler(x::fail);
                // drain the body without buffering it: the latency ends at the last byte
                resp.handler(buf -> { });
                resp.endHandler(v -> x.complete(resp.statusCode()));
            });
            req.exceptionHandler(x::fail);
            Buffer body = bodies[request];
            if (body == null) {
                req.end();
            } else {
                req.end(body);
            }
        });
    }

    private void finish() {
        if (done.isDone()) {
            return;
        }
        if (tickTimer >= 0) {
            vertx.cancelTimer(tickTimer);
        }
        long end = clock.nanoTime();
        int abandoned = inFlight;
        client.close();
        done.complete(new Outcome(stopping ? Status.INTERRUPTED : Status.COMPLETED, start, end, sentTotal, abandoned));
    }

    /** One request in flight: the only per-request object of the hot path. */
    private final class Exchange {
        final int phase;
        final int request;
        final long intended;
        final long sent;
        long timer;
        HttpClientRequest req;
        boolean finished;

        Exchange(int phase, int request, long intended, long sent) {
            this.phase = phase;
            this.request = request;
            this.intended = intended;
            this.sent = sent;
        }

        void complete(int status) {
            if (end()) {
                long now = clock.nanoTime();
                if (status < 400) {
                    sink.onSuccess(phase, request, status, intended, sent, now);
                } else {
                    sink.onError(phase, request, ErrorClassifier.forStatus(status), "HTTP " + status, intended, sent, now);
                }
                afterCompletion();
            }
        }

        void fail(Throwable t) {
            if (end()) {
                sink.onError(phase, request, ErrorClassifier.classify(t), ErrorClassifier.describe(t), intended, sent,
                        clock.nanoTime());
                afterCompletion();
            }
        }

        void timeout() {
            if (end()) {
                if (req != null) {
                    req.reset(0, new TimeoutException("request timeout"));
                }
                sink.onError(phase, request, ErrorKind.TIMEOUT,
                        "no complete response within " + plan.timeoutNanos() / 1_000_000 + " ms", intended, sent,
                        clock.nanoTime());
                afterCompletion();
            }
        }

        private boolean end() {
            if (finished) {
                return false;
            }
            finished = true;
            vertx.cancelTimer(timer);
            return true;
        }

        private void afterCompletion() {
            inFlight--;
            if (done.isDone()) {
                return;
            }
            if (stopping) {
                if (inFlight == 0) {
                    finish();
                }
            } else {
                dispatch();
            }
        }
    }
}
