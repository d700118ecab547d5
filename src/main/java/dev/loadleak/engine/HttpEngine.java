package dev.loadleak.engine;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine core of one stripe: sends a plan's requests over a keep-alive pool bounded by
 * {@code maxConnections}, through a {@link Transport} (the lean HTTP/1.1 client when the plan
 * allows it, else Vert.x's HttpClient), keeps the requests in flight and times them out. Every request is a
 * step of a virtual user run by the one {@link FlowDriver} (a {@code requests:} entry is a one-step flow);
 * when users start is each phase's {@link LoadModel}: {@link OpenArrivals} or {@link FlowUsers}. A 1 ms tick,
 * every completion and every precise wake-up call {@link #dispatch}.
 *
 * <p>Every timer goes through the injected {@link EngineScheduler}, so a test drives a whole
 * engine against a fake transport on a virtual clock. All state below is touched only on the
 * scheduler's thread, so it needs no synchronisation.
 *
 * <p>Failures: a transport that cannot be made, or a bug that throws while dispatching, fails the
 * stripe: its futures complete exceptionally (never a run that waits for ever), its connections close.
 */
public final class HttpEngine {
    static final long TICK_NANOS = 1_000_000L;
    public static final long STOP_GRACE_NANOS = 2_000_000_000L;
    /** The warm-up request waits for its answer at most this long (and at most the request timeout). */
    public static final long WARMUP_BOUND_MILLIS = 5000;
    /** Bytes read per response at most: a body that never ends must not hold a connection for ever. */
    static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

    private final Vertx vertx;
    private final Context context;
    private final EngineScheduler scheduler;
    private final TransportFactory transports;
    private final EnginePlan plan;
    private final ResultSink sink;
    private final CompletableFuture<EngineOutcome> done = new CompletableFuture<>();
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final PreparedRequest[] prepared;
    private final SplittableRandom random;
    private final int stripe;
    private final int stripes;
    private final int maxConnections;
    /** Requests in flight at most: connections × pipelining depth (or HTTP/2 streams per connection). */
    private final int maxInFlight;
    private final long timeoutNanos;
    private final InFlightList inFlight = new InFlightList();
    private final Runnable wake = this::onWake;
    private final Runnable tick = this::onTick;
    /** Made once: dispatch runs on every completion, tick and wake-up, and must not allocate a lambda each time. */
    private final Runnable dispatchNow = this::dispatchNow;
    /** Runs the virtual users: every request is one of their steps. */
    private final FlowDriver flows;
    /** Runs the flows' ws: and socketio: steps; null when they have none. */
    private final RealtimeSteps realtime;
    /** Makes the real-time steps' WebSockets (a test gives its own). */
    private java.util.function.Supplier<RealtimeSockets> sockets;
    private long flowPicks;
    private Transport transport;
    /** When the next precise wake-up is set for (engine clock), or MAX_VALUE when none is pending. */
    private long wakeAt = Long.MAX_VALUE;
    private long start;
    private int phase;
    private LoadModel model;
    private long userSends;
    private long sentTotal;
    private long lateWhileBusy;
    /** No exchange outlives the run's planned end plus the timeout (set when the schedule starts). */
    private long latestDeadline = Long.MAX_VALUE;
    private boolean stopping;
    /** For the per-second timeline, read from another thread: refreshed on every tick (1 ms). */
    final EngineGauges gauges = new EngineGauges();

    /** A whole run on one event loop of {@code vertx}, with the standard transports. */
    public HttpEngine(Vertx vertx, Clock clock, EnginePlan plan, ResultSink sink) {
        this(vertx, vertx.getOrCreateContext(), clock, TransportFactory.STANDARD, plan, sink, 0, 1);
    }

    HttpEngine(Vertx vertx, Context context, Clock clock, TransportFactory transports, EnginePlan plan, ResultSink sink,
               int stripe, int stripes) {
        this(vertx, context, EngineScheduler.of(context, clock), transports, plan, sink, stripe, stripes);
    }

    /**
     * One stripe of a run spread over {@code stripes} event loops: it sends the open-model
     * requests whose global index is {@code stripe} modulo {@code stripes}, runs its share of the
     * closed-model users, and owns its share of the connections. {@code vertx} and {@code context}
     * are only handed to the transport factory (a test's may ignore them, and pass null).
     */
    HttpEngine(Vertx vertx, Context context, EngineScheduler scheduler, TransportFactory transports, EnginePlan plan,
               ResultSink sink, int stripe, int stripes) {
        this.vertx = vertx;
        this.context = context;
        this.scheduler = scheduler;
        this.transports = transports;
        this.plan = plan;
        this.sink = sink;
        this.stripe = stripe;
        this.stripes = stripes;
        this.maxConnections = Math.max(1, share(plan.maxConnections()));
        this.maxInFlight = maxConnections * plan.protocol().requestsPerConnection();
        this.random = new SplittableRandom(plan.seed() + stripe);
        this.timeoutNanos = plan.timeoutNanos();
        prepared = PreparedRequest.forPlan(plan);
        flows = new FlowDriver(this, sink, plan.flows(), plan.shared(), plan.seed() + stripe);
        sockets = () -> new NettySockets(vertx, context, plan.protocol().insecure());
        realtime = plan.flows().flows().stream().flatMap(f -> f.steps().stream())
                .anyMatch(s -> s.realtime() != null)
                ? new RealtimeSteps(this, sink, flows, plan, () -> sockets.get(), plan.seed() + stripe) : null;
    }

    /** The WebSockets of real-time steps come from {@code s} (a test's fake): call before {@link #start}. */
    void useSockets(RealtimeSockets s) {
        sockets = () -> s;
    }

    /** Nothing in flight: no request, no real-time step waiting. */
    private boolean idle() {
        return inFlight.size() == 0 && (realtime == null || realtime.waiting() == 0);
    }

    /**
     * Warms the client up with one request to the plan's warm-up URL (its answer is ignored), then
     * starts the clock and sends; the future completes when every request has completed or been
     * abandoned, and exceptionally when the stripe failed.
     */
    public CompletableFuture<EngineOutcome> start() {
        prepare().thenRun(() -> run(scheduler.nanoTime()));
        return done;
    }

    /** This stripe's share of {@code total} (connections, users): the first stripes take the remainder. */
    int share(int total) {
        return total / stripes + (stripe < total % stripes ? 1 : 0);
    }

    /**
     * Creates the transport on this engine's thread and sends the warm-up request; completes
     * exceptionally (and so does the run's future) when the transport cannot be made.
     */
    CompletableFuture<Void> prepare() {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        scheduler.execute(() -> begin(ready));
        return ready;
    }

    /** Starts the schedule at {@code startNanos} (shared by every stripe of a run). */
    CompletableFuture<EngineOutcome> run(long startNanos) {
        scheduler.execute(() -> guarded(() -> schedule(startNanos)));
        return done;
    }

    /** Stops sending (e.g. on Ctrl-C); in-flight requests get up to 2 s to complete. */
    public void stop() {
        scheduler.execute(() -> {
            if (stopping || done.isDone()) {
                return;
            }
            stopping = true;
            if (idle()) {
                finish();
            } else {
                scheduler.schedule(STOP_GRACE_NANOS, this::finish);
            }
        });
    }

    /**
     * The engine clock's time at which the schedule started (intended send times count from it).
     * Waits for the warm-up, at most {@code timeoutNanos}.
     *
     * @throws ExecutionException when the engine failed before it started
     * @throws TimeoutException   when it did not start in time
     */
    public long startNanos(long timeoutNanos) throws ExecutionException, InterruptedException, TimeoutException {
        return started.get(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void begin(CompletableFuture<Void> ready) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, plan.timeoutNanos() / 1_000_000));
        try {
            transport = transports.create(vertx, context, plan, prepared, maxConnections, timeoutMillis);
        } catch (RuntimeException | Error e) {
            ready.completeExceptionally(fail(e));
            return;
        }
        // the warm-up is bounded: a target that never answers it must not delay the run for ever
        long bound = Math.min(timeoutMillis, WARMUP_BOUND_MILLIS);
        scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(bound + 100), () -> ready.complete(null));
        transport.warmUp(plan.warmupUri(), (int) bound).thenRun(() -> ready.complete(null));
    }

    private void schedule(long startNanos) {
        if (done.isDone()) {
            return; // stopped (or failed) during the warm-up
        }
        start = startNanos;
        latestDeadline = start + plan.totalDurationNanos() + timeoutNanos;
        started.complete(start);
        model = LoadModel.of(this, 0, plan.phases().get(0), start);
        scheduler.schedule(TICK_NANOS, tick);
        dispatch();
    }

    /** The 1 ms tick: timeouts, and sends that a wake-up did not cover. It re-arms itself first. */
    private void onTick() {
        if (!done.isDone()) {
            scheduler.schedule(TICK_NANOS, tick);
            dispatch();
            gauges.update(inFlight.size(), transport == null ? -1 : transport.openConnections());
        }
    }

    private void onWake() {
        wakeAt = Long.MAX_VALUE;
        if (!done.isDone()) {
            dispatch();
        }
    }

    /** Expires what is due, lets the current phase's model send, moves to the next phase when it ends. */
    void dispatch() {
        guarded(dispatchNow);
    }

    private void dispatchNow() {
        long now = scheduler.nanoTime();
        // timeouts without a timer per request: the oldest exchange in flight expires first
        for (Exchange x = inFlight.oldest(); x != null && now >= x.deadline; x = inFlight.oldest()) {
            timeout(x, now);
        }
        if (realtime != null) {
            realtime.expire(now);
        }
        flows.dispatch(now); // iterations under way go before new ones
        List<EnginePlan.PhasePlan> phases = plan.phases();
        while (!stopping && phase < phases.size() && model.dispatch(now)) {
            model.retire();
            phase++;
            if (phase < phases.size()) {
                model = LoadModel.of(this, phase, phases.get(phase), start);
            }
        }
        if (!stopping && phase >= phases.size()) {
            flows.abortWaiting(now); // the run's planned end: iterations still pausing are cut
            if (idle()) {
                finish();
            }
        }
    }

    /** Runs {@code step}; a throw is a bug of the engine or its sink: the stripe fails, it does not hang. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            fail(e);
        }
    }

    // ---- what load models ask of the core ----

    long now() {
        return scheduler.nanoTime();
    }

    boolean stopping() {
        return stopping;
    }

    boolean hasRoom() {
        return inFlight.size() < maxInFlight;
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    int followRedirects() {
        return plan.protocol().followRedirects();
    }

    /** The global arrival index of this stripe's {@code n}-th arrival of a phase. */
    long globalIndex(long n) {
        return stripe + stripes * n;
    }

    /** The {@code ${seq}} of a user's next send: disjoint across stripes. */
    long nextUserSeq() {
        return stripe + stripes * userSends++;
    }

    /**
     * Dispatches again at {@code due} (a one-shot timer with nanosecond precision on epoll), so that
     * an open-model request leaves at its intended time rather than at the next 1 ms tick. One
     * wake-up is pending at a time, the earliest.
     */
    void wakeAt(long due, long now) {
        if (due < wakeAt) {
            wakeAt = due;
            scheduler.schedule(Math.max(0, due - now), wake);
        }
    }

    /** Runs {@code task} on this engine's thread after {@code delayNanos}, guarded like a dispatch. */
    void later(long delayNanos, Runnable task) {
        scheduler.schedule(delayNanos, () -> guarded(task));
    }

    void notSent(int phaseIndex, long intended, long now, long seq) {
        String why = "not sent: all " + plan.maxConnections() + " connections were busy for the whole "
                + timeoutNanos / 1_000_000 + " ms timeout";
        flows.notSentArrival((FlowDriver.Owner) model, plan.mix().pick(seq), phaseIndex, intended, now, why);
    }

    FlowDriver flowDriver() {
        return flows;
    }

    /** The flow the next closed-model iteration of this stripe runs (the weighted mix, disjoint across stripes). */
    int nextFlow() {
        return plan.mix().pick(stripe + stripes * flowPicks++);
    }

    String cookieHost(int request) {
        return prepared[request].cookieHost();
    }

    /** Sends flow step {@code request} of {@code u}, due at {@code intended}. */
    void sendStep(VirtualUser u, int phaseIndex, int request, long intended, long now, long expectedInterval) {
        sendRequest((LoadModel) u.owner, u, phaseIndex, request, intended, now, expectedInterval, nextUserSeq());
    }

    RealtimeSteps realtime() {
        return realtime;
    }

    /**
     * A real-time step of {@code u} that began at {@code sent} ended at {@code now}; {@code async}: from
     * a callback or a timer (else from within the dispatch that began it, which goes on by itself).
     */
    void realtimeStepEnded(VirtualUser u, long sent, long now, boolean ok, boolean async) {
        if (done.isDone()) {
            return;
        }
        ((LoadModel) u.owner).completed(sent, now);
        flows.stepEnded(u, ok, now);
        if (!async) {
            return;
        }
        if (stopping) {
            if (idle()) {
                finish();
            }
            return;
        }
        dispatch();
    }

    /** Puts {@code request} in flight (a step of {@code user}) and reports the send. */
    private void sendRequest(LoadModel by, VirtualUser user, int phaseIndex, int request, long intended, long now,
                             long expectedInterval, long seq) {
        sentTotal++;
        Exchange x = new Exchange(this, by, phaseIndex, request, prepared[request], intended, now, expectedInterval,
                Math.min(now + timeoutNanos, latestDeadline), user);
        inFlight.add(x);
        long bodyBytes = transport.send(x, seq, random);
        sink.onSend(phaseIndex, request, intended, now, bodyBytes);
    }

    /**
     * An open-model arrival due at {@code intended}: a new user starts an iteration of the flow the mix picks for
     * {@code seq}; {@code waitedForRoom}: it was due while every connection was busy (it then counts as late for
     * that reason when it leaves late).
     */
    void arrive(FlowDriver.Owner by, int phaseIndex, long intended, long now, long seq, boolean waitedForRoom) {
        if (waitedForRoom && now - intended > plan.lateBoundNanos()) {
            lateWhileBusy++;
        }
        flows.arrive(by, plan.mix().pick(seq), phaseIndex, intended, now);
    }

    // ---- completions ----

    /** {@code x} ended: a success when {@code bad} is null, else an error of that kind. */
    void complete(Exchange x, int status, ErrorKind bad, String detail) {
        if (!x.end()) {
            return;
        }
        inFlight.remove(x);
        long now = scheduler.nanoTime();
        if (bad == null) {
            sink.onSuccess(x.phase, x.request, status, x.intended, x.sent, now, x.expectedInterval);
        } else {
            sink.onError(x.phase, x.request, bad, x.user.redact(detail), x.intended, x.sent, now);
        }
        afterCompletion(x, now, bad == null);
    }

    private void timeout(Exchange x, long now) {
        if (!x.end()) {
            return;
        }
        inFlight.remove(x);
        transport.abort(x);
        sink.onError(x.phase, x.request, ErrorKind.TIMEOUT, now - x.sent >= timeoutNanos
                ? "no complete response within " + timeoutNanos / 1_000_000 + " ms"
                : "no complete response by the planned end of the run plus the timeout", x.intended, x.sent, now);
        afterCompletion(x, now, false);
    }

    private void afterCompletion(Exchange x, long now, boolean ok) {
        if (done.isDone()) {
            return;
        }
        x.model.completed(x.sent, now);
        flows.stepEnded(x.user, ok, now);
        if (stopping) {
            if (idle()) {
                finish();
            }
            return;
        }
        dispatch();
    }

    private void finish() {
        if (done.isDone()) {
            return;
        }
        long end = scheduler.nanoTime();
        if (!started.isDone()) {
            start = end;
            started.complete(end);
        }
        if (model != null) {
            model.retire();
        }
        int abandoned = inFlight.size();
        if (realtime != null) {
            abandoned += realtime.closeAll(end);
        }
        flows.abortWaiting(end);
        for (Exchange x = inFlight.oldest(); x != null; x = x.next) {
            flows.abortInFlight(x.user, end);
        }
        if (transport != null) {
            transport.close();
        }
        done.complete(EngineOutcome.of(stopping, start, end, sentTotal, abandoned, transport, lateWhileBusy));
    }

    /**
     * The stripe cannot go on: every future the run waits on completes exceptionally, connections
     * close. Returns the failure the futures carry.
     */
    EngineFailure fail(Throwable why) {
        EngineFailure f = new EngineFailure("engine stripe " + stripe + " failed: " + why, why);
        if (done.isDone()) {
            return f;
        }
        stopping = true;
        if (model != null) {
            model.retire();
        }
        try {
            if (realtime != null) {
                realtime.closeAll(scheduler.nanoTime());
            }
            if (transport != null) {
                transport.close();
            }
        } finally {
            started.completeExceptionally(f);
            done.completeExceptionally(f);
        }
        return f;
    }
}
