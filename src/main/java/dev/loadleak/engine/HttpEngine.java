package dev.loadleak.engine;

import dev.loadleak.scenario.RequestSpec;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a plan's requests on one Vert.x event loop over a keep-alive pool bounded by
 * {@code maxConnections}, through a {@link Transport}: the lean HTTP/1.1 client when the plan
 * allows it, else Vert.x's HttpClient.
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
                          long connectionsOpened, String client) {
    }

    private static final long TICK_MILLIS = 1;
    private static final long STOP_GRACE_NANOS = 2_000_000_000L;
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
    // the context's event loop, where every timer runs (later): vertx.setTimer called from the lean
    // client's Netty handlers (no current Vert.x context) would pick another event loop and race this one
    private EventLoop loop;
    private Transport transport;
    private long tickTimer = -1;
    /** When the next precise wake-up is set for (engine clock), or MAX_VALUE when none is pending. */
    private long wakeAt = Long.MAX_VALUE;
    private final Runnable wake = this::onWake;
    private long start;
    private int phase;
    private long nextInPhase;
    private boolean usersStarted;
    private double latencyEwmaNanos;
    private long sentTotal;
    /** No exchange outlives the run's planned end plus the timeout (set when the schedule starts). */
    private long latestDeadline = Long.MAX_VALUE;
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

    /** Creates the transport on this engine's event loop and sends the warm-up request. */
    CompletableFuture<Void> prepare() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        context = fixedContext != null ? fixedContext : vertx.getOrCreateContext();
        loop = ((ContextInternal) context).nettyEventLoop();
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
                later(STOP_GRACE_NANOS, this::finish);
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
        transport = Transport.forPlan(vertx, context, plan, prepared, maxConnections, timeoutMillis);
        // the warm-up is bounded: a target that never answers it must not delay the run for ever
        later(TimeUnit.MILLISECONDS.toNanos(Math.min(timeoutMillis, 5000) + 100L), () -> ready.complete(null));
        transport.warmUp(plan.warmupUri(), Math.min(timeoutMillis, 5000)).thenRun(() -> ready.complete(null));
    }

    private void schedule(long startNanos) {
        if (done.isDone()) {
            return; // stopped during the warm-up
        }
        start = startNanos;
        latestDeadline = start + plan.totalDurationNanos() + timeoutNanos;
        started.complete(start);
        // a Vert.x periodic on the context (set here, on it): it keeps ticking even if a dispatch throws
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
                    wakeAt(intended, now);
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
                nextInPhase++; // before sending: a failure reported at once must not resend this one
                send(phase, intended, now, 0, global);
                now = clock.nanoTime();
            } else {
                if (now >= phaseStart + p.durationNanos()) {
                    nextPhase();
                    continue;
                }
                if (now < phaseStart) {
                    wakeAt(phaseStart, now);
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

    /**
     * Dispatches again at {@code due} (a one-shot event-loop timer with nanosecond precision on
     * epoll), so that an open-model request leaves at its intended time rather than at the next
     * 1 ms tick; the tick remains for timeouts. One wake-up is pending at a time, the earliest.
     */
    private void wakeAt(long due, long now) {
        if (due < wakeAt) {
            wakeAt = due;
            later(Math.max(0, due - now), wake);
        }
    }

    /** Runs {@code task} on this engine's event loop after {@code delayNanos}, whichever thread asks. */
    private void later(long delayNanos, Runnable task) {
        loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void onWake() {
        wakeAt = Long.MAX_VALUE;
        if (!done.isDone()) {
            dispatch();
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
        Exchange x = new Exchange(phaseIndex, request, prepared[request], intended, now, expectedInterval);
        inFlight++;
        x.prev = newest;
        if (newest != null) {
            newest.next = x;
        } else {
            oldest = x;
        }
        newest = x;
        long bodyBytes = transport.send(x, seq, random);
        sink.onSend(phaseIndex, request, intended, now, bodyBytes);
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
        if (transport != null) {
            transport.close();
        }
        done.complete(new Outcome(stopping ? Status.INTERRUPTED : Status.COMPLETED, start, end, sentTotal, abandoned,
                transport == null ? 0 : transport.connectionsOpened(), transport == null ? "" : transport.describe()));
    }

    /** One request in flight: the only per-request object of the hot path. */
    private final class Exchange implements Transport.InFlight {
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
        final PreparedRequest pr;
        Object handle;
        boolean finished;

        Exchange(int phase, int request, PreparedRequest pr, long intended, long sent, long expectedInterval) {
            this.phase = phase;
            this.request = request;
            this.pr = pr;
            this.intended = intended;
            this.sent = sent;
            this.expectedInterval = expectedInterval;
            this.deadline = Math.min(sent + timeoutNanos, latestDeadline);
        }

        @Override
        public PreparedRequest request() {
            return pr;
        }

        @Override
        public Object handle() {
            return handle;
        }

        @Override
        public void handle(Object h) {
            handle = h;
        }

        @Override
        public void response(int status, String body) {
            RequestSpec.Expect expect = pr.spec.expect();
            ErrorKind bad = ResponseCheck.status(expect, status);
            if (bad != null) {
                complete(status, bad, bad == ErrorKind.ASSERTION ? "status " + status + " not in the expected statuses"
                        : "HTTP " + status);
            } else if (followRedirects > 0 && ClientSettings.isRedirect(status)) {
                complete(status, ErrorKind.REDIRECTS, "more than " + followRedirects + " redirects (HTTP " + status + ")");
            } else if (pr.needsBody()) {
                String why = ResponseCheck.body(expect, body == null ? "" : body);
                complete(status, why == null ? null : ErrorKind.ASSERTION, why);
            } else {
                complete(status, null, null);
            }
        }

        @Override
        public void tooLarge() {
            if (end()) {
                long now = clock.nanoTime();
                sink.onError(phase, request, ErrorKind.BODY_TOO_LARGE, "response body over " + MAX_RESPONSE_BYTES
                        + " bytes", intended, sent, now);
                afterCompletion(now);
            }
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

        @Override
        public void fail(Throwable t) {
            if (end()) {
                long now = clock.nanoTime();
                sink.onError(phase, request, ErrorClassifier.classify(t), ErrorClassifier.describe(t), intended, sent, now);
                afterCompletion(now);
            }
        }

        void timeout() {
            if (end()) {
                transport.abort(this);
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
                    later(p.thinkNanos(), () -> {
                        userReady(ph, readyAt);
                        dispatch();
                    });
                }
            }
            dispatch();
        }
    }
}
