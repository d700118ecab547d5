package dev.loadleak.engine;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * Sends a plan's requests on one Vert.x event loop over a keep-alive pool bounded by
 * {@code maxConnections}.
 *
 * <p>Open phases, as wrk2 does it: the intended send time of every request comes from the
 * phase's {@link Schedule}. A 1 ms tick and every completion call {@link #dispatch}, which sends
 * every request that is due while a connection is free. A request that is due while every
 * connection is busy waits (the backlog is the distance between "due" and "next", no queue of
 * objects); it leaves when a connection frees up and its latency is still measured from its
 * intended time, so the wait shows in the corrected latency and in the late-send count.
 *
 * <p>Closed and max-rate phases: {@code users} loops each send, wait for the response, think,
 * and send again until the phase's end. A user ready while every connection is busy waits in a
 * FIFO of ready times. Their corrected latency uses HdrHistogram's expected-interval correction.
 *
 * <p>All state below is touched only on the engine's context, so it needs no synchronisation.
 */
public final class HttpEngine {
    /** How a run ended. */
    public enum Status { COMPLETED, INTERRUPTED }

    /** What the engine did: when it started and ended (engine clock) and how many it sent. */
    public record Outcome(Status status, long startNanos, long endNanos, long sent, long abandonedInFlight,
                          long connectionsOpened) {
    }

    private static final long TICK_MILLIS = 1;
    private static final long STOP_GRACE_MILLIS = 2000;
    /** Bytes read per response at most: a body that never ends must not hold a connection for ever. */
    static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;
    /** Weight of the newest latency in a closed phase's running estimate of the send interval. */
    private static final double EWMA_ALPHA = 1.0 / 32;

    private final Vertx vertx;
    private final Clock clock;
    private final EnginePlan plan;
    private final ResultSink sink;
    private final CompletableFuture<Outcome> done = new CompletableFuture<>();
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final PreparedRequest[] prepared;
    private final SplittableRandom random;
    private final int stripe;
    private final int stripes;
    private final int maxConnections;
    /** Requests in flight at most: connections × pipelining depth (or HTTP/2 streams per connection). */
    private final int maxInFlight;
    private final int followRedirects;
    private final Context fixedContext;
    private final LongQueue readyUsers = new LongQueue();

    /** In-flight exchanges in send order (so in deadline order: every request has the same timeout). */
    private Exchange oldest;
    private Exchange newest;
    private final long timeoutNanos;
    private Context context;
    private HttpClient client;
    private long tickTimer = -1;
    private long start;
    private int phase;
    private long nextInPhase;
    private boolean usersStarted;
    private double latencyEwmaNanos;
    private long sentTotal;
    /** No exchange outlives the run's planned end plus the timeout (set when the schedule starts). */
    private long latestDeadline = Long.MAX_VALUE;
    private long connectionsOpened;
    private int inFlight;
    private boolean stopping;

    public HttpEngine(Vertx vertx, Clock clock, EnginePlan plan, ResultSink sink) {
        this(vertx, null, clock, plan, sink, 0, 1);
    }

    /**
     * One stripe of a run spread over {@code stripes} event loops: it sends the open-model
     * requests whose global index is {@code stripe} modulo {@code stripes}, runs its share of the
     * closed-model users, and owns its share of the connections.
     */
    HttpEngine(Vertx vertx, Context context, Clock clock, EnginePlan plan, ResultSink sink, int stripe, int stripes) {
        this.vertx = vertx;
        this.fixedContext = context;
        this.clock = clock;
        this.plan = plan;
        this.sink = sink;
        this.stripe = stripe;
        this.stripes = stripes;
        this.maxConnections = Math.max(1, share(plan.maxConnections()));
        this.followRedirects = plan.protocol().followRedirects();
        this.maxInFlight = maxConnections * plan.protocol().requestsPerConnection();
        this.random = new SplittableRandom(plan.seed() + stripe);
        this.timeoutNanos = plan.timeoutNanos();
        prepared = new PreparedRequest[plan.requests().size()];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = new PreparedRequest(plan.requests().get(i), plan.target(), plan.defaultHeaders(),
                    plan.timeoutNanos(), plan.protocol().followRedirects() > 0);
        }
    }

    /**
     * Warms the client up with one request to the plan's warm-up URL (its answer is ignored), then
     * starts the clock and sends; the future completes when every request has completed or been
     * abandoned.
     */
    public CompletableFuture<Outcome> start() {
        prepare().thenRun(() -> run(clock.nanoTime()));
        return done;
    }

    /** This stripe's share of {@code total} (connections, users): the first stripes take the remainder. */
    int share(int total) {
        return total / stripes + (stripe < total % stripes ? 1 : 0);
    }

    /** Creates the client on this engine's event loop and sends the warm-up request. */
    CompletableFuture<Void> prepare() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        context = fixedContext != null ? fixedContext : vertx.getOrCreateContext();
        context.runOnContext(v -> begin(ready));
        return ready;
    }

    /** Starts the schedule at {@code startNanos} (shared by every stripe of a run). */
    CompletableFuture<Outcome> run(long startNanos) {
        context.runOnContext(v -> schedule(startNanos));
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

    /**
     * The engine clock's time at which the schedule started (intended send times count from it);
     * waits for the warm-up request, which is bounded by the request timeout.
     */
    public long startNanos() {
        return started.join();
    }

    private void begin(CompletableFuture<Void> ready) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, plan.timeoutNanos() / 1_000_000));
        client = vertx.createHttpClient(ClientSettings.options(plan.protocol(), timeoutMillis),
                ClientSettings.pool(maxConnections));
        // a connection's own failures are already counted by its requests: no log line per reset
        client.connectionHandler(conn -> {
            connectionsOpened++;
            conn.exceptionHandler(t -> { });
        });
        RequestOptions warm = new RequestOptions().setAbsoluteURI(plan.warmupUri().toString())
                .setTimeout(Math.min(timeoutMillis, 5000));
        // the warm-up is bounded: a target that never answers it must not delay the run for ever
        vertx.setTimer(Math.min(timeoutMillis, 5000) + 100L, id -> ready.complete(null));
        client.request(warm).compose(req -> {
            req.exceptionHandler(t -> { });
            return req.send().compose(resp -> {
                resp.exceptionHandler(t -> { });
                return resp.end();
            });
        }).onComplete(ignored -> ready.complete(null));
    }

    private void schedule(long startNanos) {
        if (done.isDone()) {
            return; // stopped during the warm-up
        }
        start = startNanos;
        latestDeadline = start + plan.totalDurationNanos() + timeoutNanos;
        started.complete(start);
        tickTimer = vertx.setPeriodic(TICK_MILLIS, id -> dispatch());
        dispatch();
    }

    private void dispatch() {
        long now = clock.nanoTime();
        // timeouts without a timer per request: the oldest exchange in flight expires first
        while (oldest != null && now >= oldest.deadline) {
            oldest.timeout();
        }
        List<EnginePlan.PhasePlan> phases = plan.phases();
        while (!stopping && phase < phases.size()) {
            EnginePlan.PhasePlan p = phases.get(phase);
            long phaseStart = start + p.startOffsetNanos();
            if (p.open()) {
                long global = stripe + stripes * nextInPhase;
                long offset = p.schedule().offsetNanos(global);
                if (offset >= p.durationNanos()) {
                    nextPhase();
                    continue;
                }
                long intended = phaseStart + offset;
                if (intended > now) {
                    break;
                }
                if (inFlight >= maxInFlight) {
                    // every connection busy: the request waits, but not past its timeout from the
                    // intended time (a dead target must not build a backlog that outlives the run)
                    if (now - intended < timeoutNanos) {
                        break;
                    }
                    notSent(phase, intended, now, global);
                    nextInPhase++;
                    continue;
                }
                send(phase, intended, now, 0, global);
                nextInPhase++;
            } else {
                if (now >= phaseStart + p.durationNanos()) {
                    nextPhase();
                    continue;
                }
                if (now < phaseStart) {
                    break;
                }
                if (!usersStarted) {
                    usersStarted = true;
                    for (int u = share(p.users()); u > 0; u--) {
                        readyUsers.add(phaseStart);
                    }
                }
                while (!readyUsers.isEmpty() && inFlight < maxInFlight) {
                    send(phase, readyUsers.poll(), now, expectedInterval(p), stripe + stripes * sentTotal);
                }
                break;
            }
        }
        if (!stopping && phase >= phases.size() && inFlight == 0) {
            finish();
        }
    }

    private void nextPhase() {
        phase++;
        nextInPhase = 0;
        usersStarted = false;
        readyUsers.clear();
    }

    private long expectedInterval(EnginePlan.PhasePlan p) {
        return p.thinkNanos() + Math.max(1_000_000L, Math.round(latencyEwmaNanos));
    }

    /** A closed-phase user is ready again at {@code readyAt}: it sends if its phase still runs. */
    private void userReady(int phaseIndex, long readyAt) {
        if (stopping || phaseIndex != phase) {
            return;
        }
        EnginePlan.PhasePlan p = plan.phases().get(phaseIndex);
        if (readyAt >= start + p.startOffsetNanos() + p.durationNanos()) {
            return;
        }
        readyUsers.add(readyAt);
    }

    private void notSent(int phaseIndex, long intended, long now, long seq) {
        int request = plan.mix().pick(seq);
        sink.onNotSent(phaseIndex, request, intended, now, "not sent: all " + maxConnections + " connections were busy "
                + "for the whole " + timeoutNanos / 1_000_000 + " ms timeout");
    }

    private void send(int phaseIndex, long intended, long now, long expectedInterval, long seq) {
        sentTotal++;
        int request = plan.mix().pick(seq);
        PreparedRequest pr = prepared[request];
        Buffer body = pr.body(seq, random);
        Exchange x = new Exchange(phaseIndex, request, intended, now, expectedInterval);
        inFlight++;
        sink.onSend(phaseIndex, request, intended, now, body == null ? 0 : body.length());
        x.prev = newest;
        if (newest != null) {
            newest.next = x;
        } else {
            oldest = x;
        }
        newest = x;
        client.request(pr.options(seq, random)).onComplete(ar -> {
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
                try {
                    x.response(rr.result(), pr);
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
    }

    private void finish() {
        if (done.isDone()) {
            return;
        }
        if (tickTimer >= 0) {
            vertx.cancelTimer(tickTimer);
        }
        long end = clock.nanoTime();
        if (!started.isDone()) {
            start = end;
            started.complete(end);
        }
        readyUsers.clear();
        int abandoned = inFlight;
        if (client != null) {
            client.close();
        }
        done.complete(new Outcome(stopping ? Status.INTERRUPTED : Status.COMPLETED, start, end, sentTotal, abandoned,
                connectionsOpened));
    }

    /** One request in flight: the only per-request object of the hot path. */
    private final class Exchange {
        final int phase;
        final int request;
        final long intended;
        final long sent;
        final long expectedInterval;
        /**
         * When it times out: the timeout after sending, but never after the run's planned end plus
         * the timeout, so that a run ends within its duration plus the timeout whatever the target does.
         */
        final long deadline;
        Exchange prev;
        Exchange next;
        long bytesRead;
        HttpClientRequest req;
        boolean finished;

        Exchange(int phase, int request, long intended, long sent, long expectedInterval) {
            this.phase = phase;
            this.request = request;
            this.intended = intended;
            this.sent = sent;
            this.expectedInterval = expectedInterval;
            this.deadline = Math.min(sent + timeoutNanos, latestDeadline);
        }

        void response(HttpClientResponse resp, PreparedRequest pr) {
            resp.exceptionHandler(this::fail);
            int status = resp.statusCode();
            ErrorKind bad = ResponseCheck.status(pr.spec.expect(), status);
            if (bad == null && pr.spec.expect() != null && pr.spec.expect().needsBody()) {
                resp.body().onComplete(b -> {
                    if (b.failed()) {
                        fail(b.cause());
                        return;
                    }
                    String why = ResponseCheck.body(pr.spec.expect(), b.result().toString());
                    if (why == null) {
                        complete(status, null, null);
                    } else {
                        complete(status, ErrorKind.ASSERTION, why);
                    }
                });
                return;
            }
            // drain the body without buffering it (the latency ends at its last byte), up to a cap
            resp.handler(buf -> {
                bytesRead += buf.length();
                if (bytesRead > MAX_RESPONSE_BYTES && end()) {
                    req.reset(0);
                    sink.onError(phase, request, ErrorKind.BODY_TOO_LARGE, "response body over " + MAX_RESPONSE_BYTES
                            + " bytes", intended, sent, clock.nanoTime());
                    afterCompletion(clock.nanoTime());
                }
            });
            ErrorKind kind = bad == null && followRedirects > 0 && ClientSettings.isRedirect(status) ? ErrorKind.REDIRECTS : bad;
            resp.endHandler(v -> complete(status, kind, kind == ErrorKind.ASSERTION
                    ? "status " + status + " not in the expected statuses"
                    : kind == ErrorKind.REDIRECTS ? "more than " + followRedirects + " redirects (HTTP " + status + ")"
                    : "HTTP " + status));
        }

        void complete(int status, ErrorKind bad, String detail) {
            if (end()) {
                long now = clock.nanoTime();
                if (bad == null) {
                    sink.onSuccess(phase, request, status, intended, sent, now, expectedInterval);
                } else {
                    sink.onError(phase, request, bad, detail, intended, sent, now);
                }
                afterCompletion(now);
            }
        }

        void fail(Throwable t) {
            if (end()) {
                long now = clock.nanoTime();
                sink.onError(phase, request, ErrorClassifier.classify(t), ErrorClassifier.describe(t), intended, sent, now);
                afterCompletion(now);
            }
        }

        void timeout() {
            if (end()) {
                if (req != null) {
                    req.reset(0, new TimeoutException("request timeout"));
                }
                long now = clock.nanoTime();
                sink.onError(phase, request, ErrorKind.TIMEOUT, now - sent >= timeoutNanos
                        ? "no complete response within " + plan.timeoutNanos() / 1_000_000 + " ms"
                        : "no complete response by the planned end of the run plus the timeout", intended, sent, now);
                afterCompletion(now);
            }
        }

        private boolean end() {
            if (finished) {
                return false;
            }
            finished = true;
            // unlink from the in-flight list
            if (prev != null) {
                prev.next = next;
            } else {
                oldest = next;
            }
            if (next != null) {
                next.prev = prev;
            } else {
                newest = prev;
            }
            prev = null;
            next = null;
            return true;
        }

        private void afterCompletion(long now) {
            inFlight--;
            if (done.isDone()) {
                return;
            }
            if (stopping) {
                if (inFlight == 0) {
                    finish();
                }
                return;
            }
            EnginePlan.PhasePlan p = plan.phases().get(phase);
            if (!p.open()) {
                latencyEwmaNanos = latencyEwmaNanos == 0 ? now - sent
                        : latencyEwmaNanos + EWMA_ALPHA * ((now - sent) - latencyEwmaNanos);
                if (p.thinkNanos() == 0) {
                    userReady(phase, now);
                } else {
                    int ph = phase;
                    long readyAt = now + p.thinkNanos();
                    vertx.setTimer(Math.max(1, p.thinkNanos() / 1_000_000), id -> {
                        userReady(ph, readyAt);
                        dispatch();
                    });
                }
            }
            dispatch();
        }
    }
}
