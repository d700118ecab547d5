package dev.loadleak.engine;

import dev.loadleak.engine.load.LoadModel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine core of one stripe: its start (the transport, over a keep-alive pool bounded by
 * {@code maxConnections}, and the warm-up), its dispatch, and its end (graceful stop, finish, failure). Every
 * request is a step of a virtual user run by the one {@link FlowDriver} (a {@code requests:} entry is a one-step
 * flow), put in flight and timed out by {@link Requests}; when users start is each phase's {@link LoadModel},
 * which sees of the core only {@link LoadModel.Core}. A 1 ms tick, every completion and every precise wake-up
 * ({@link WakeUp}) call {@link #dispatch}.
 *
 * <p>Every timer goes through the injected {@link EngineScheduler}, so a test drives a whole
 * engine against a fake transport on a virtual clock. All state below is touched only on the
 * scheduler's thread, so it needs no synchronisation.
 *
 * <p>Failures: a transport that cannot be made, or a bug that throws while dispatching, fails the
 * stripe: its futures complete exceptionally (never a run that waits for ever), its connections close.
 */
public final class HttpEngine implements LoadModel.Core {
    static final long TICK_NANOS = 1_000_000L;
    public static final long STOP_GRACE_NANOS = 2_000_000_000L;
    /** The warm-up request waits for its answer at most this long (and at most the request timeout). */
    public static final long WARMUP_BOUND_MILLIS = 5000;

    private final Vertx vertx;
    private final Context context;
    private final EngineScheduler scheduler;
    private final TransportFactory transports;
    private final EnginePlan plan;
    private final ResultSink sink;
    private final CompletableFuture<EngineOutcome> done = new CompletableFuture<>();
    private final CompletableFuture<Long> started = new CompletableFuture<>();
    private final PreparedRequest[] prepared;
    private final int stripe;
    private final int stripes;
    private final int maxConnections;
    private final long timeoutNanos;
    /** The requests in flight: sends, completions, timeouts. */
    private final Requests requests;
    private final WakeUp wake;
    private final Runnable tick = this::onTick;
    /** Made once: dispatch runs on every completion, tick and wake-up, and must not allocate a lambda each time. */
    private final Runnable dispatchNow = this::dispatchNow;
    /** Runs the virtual users: every request is one of their steps. */
    private final FlowDriver flows;
    /** Runs the flows' ws: and socketio: steps; null when they have none. */
    private final RealtimeSteps realtime;
    private long flowPicks;
    private Transport transport;
    private long start;
    /** The phase under way and its load model (set when the schedule starts). */
    private PhaseCursor phases;
    private long lateWhileBusy;
    private boolean stopping;
    /** For the per-second timeline, read from another thread: refreshed on every tick (1 ms). */
    final EngineGauges gauges = new EngineGauges();

    /** A whole run on one event loop of {@code vertx}, its clients made by {@code transports}. */
    public HttpEngine(Vertx vertx, Clock clock, TransportFactory transports, EnginePlan plan, ResultSink sink) {
        this(vertx, vertx.getOrCreateContext(), clock, transports, plan, sink, 0, 1);
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
        this.wake = new WakeUp(scheduler, this::onWake);
        this.transports = transports;
        this.plan = plan;
        this.sink = sink;
        this.stripe = stripe;
        this.stripes = stripes;
        this.maxConnections = Math.max(1, share(plan.maxConnections()));
        this.timeoutNanos = plan.timeoutNanos();
        prepared = PreparedRequest.forPlan(plan);
        flows = new FlowDriver(this, sink, plan.flows(), prepared, plan.shared(), plan.seed() + stripe);
        requests = new Requests(this, flows, sink, prepared, plan,
                maxConnections * plan.protocol().requestsPerConnection(), stripe, stripes);
        realtime = RealtimeSteps.forPlan(this, sink, flows, plan,
                () -> new NettySockets(vertx, context, plan.protocol().insecure()), plan.seed() + stripe);
    }

    /** The WebSockets of real-time steps come from {@code s} (a test's fake): call before {@link #start}. */
    void useSockets(RealtimeSockets s) {
        if (realtime != null) {
            realtime.useSockets(s);
        }
    }

    /** Nothing in flight: no request, no real-time step waiting. */
    private boolean idle() {
        return requests.size() == 0 && (realtime == null || realtime.waiting() == 0);
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
    @Override
    public int share(int total) {
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
        requests.transport(transport);
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
        requests.planEnd(start + plan.totalDurationNanos());
        started.complete(start);
        phases = new PhaseCursor(this, plan.phases(), start);
        scheduler.schedule(TICK_NANOS, tick);
        dispatch();
    }

    /** The 1 ms tick: timeouts, and sends that a wake-up did not cover. It re-arms itself first. */
    private void onTick() {
        if (!done.isDone()) {
            scheduler.schedule(TICK_NANOS, tick);
            dispatch();
            gauges.update(requests.size(), transport == null ? -1 : transport.openConnections());
        }
    }

    private void onWake() {
        if (!done.isDone()) {
            dispatch();
        }
    }

    /** Expires what is due, lets users go on, lets the current phase's model start users. */
    void dispatch() {
        guarded(dispatchNow);
    }

    private void dispatchNow() {
        long now = scheduler.nanoTime();
        requests.expire(now);
        if (realtime != null) {
            realtime.expire(now);
        }
        flows.dispatch(now); // iterations under way go before new ones
        if (!stopping && phases.dispatch(now)) {
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

    @Override
    public long now() {
        return scheduler.nanoTime();
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    @Override
    public boolean hasRoom() {
        return requests.hasRoom();
    }

    @Override
    public long timeoutNanos() {
        return timeoutNanos;
    }

    @Override
    public long globalIndex(long n) {
        return stripe + stripes * n;
    }

    /** Dispatches again at {@code due} ({@link WakeUp}: one pending at a time, the earliest). */
    @Override
    public void wakeAt(long due, long now) {
        wake.at(due, now);
    }

    /** The {@code ${seq}} of a user's next send: disjoint across stripes. */
    long nextUserSeq() {
        return requests.nextSeq();
    }

    /** Runs {@code task} on this engine's thread after {@code delayNanos}, guarded like a dispatch. */
    void later(long delayNanos, Runnable task) {
        scheduler.schedule(delayNanos, () -> guarded(task));
    }

    @Override
    public void notSent(LoadModel.Owner by, int phaseIndex, long intended, long now, long seq) {
        String why = "not sent: all " + plan.maxConnections() + " connections were busy for the whole "
                + timeoutNanos / 1_000_000 + " ms timeout";
        flows.notSentArrival(by, plan.mix().pick(seq), phaseIndex, intended, now, why);
    }

    @Override
    public void begin(LoadModel.Owner by, LoadModel.User again, int flow, int phaseIndex, long at) {
        flows.begin(again != null ? (VirtualUser) again : new VirtualUser(flows, by), flow, phaseIndex, at);
    }

    @Override
    public void dispatchUsers(long now) {
        flows.dispatch(now);
    }

    /** The flow the next closed-model iteration of this stripe runs (the weighted mix, disjoint across stripes). */
    @Override
    public int nextFlow() {
        return plan.mix().pick(stripe + stripes * flowPicks++);
    }

    /** Sends flow step {@code request} of {@code u}, due at {@code intended}. */
    void sendStep(VirtualUser u, int phaseIndex, int request, long intended, long now, long expectedInterval) {
        requests.send(u, phaseIndex, request, intended, now, expectedInterval);
    }

    RealtimeSteps realtime() {
        return realtime;
    }

    /**
     * A step of {@code u} (a request, or a real-time step) that began at {@code sent} ended at {@code now}; its user
     * goes on. {@code async}: from a callback or a timer (else from within the dispatch that began it, which goes on
     * by itself).
     */
    void stepEnded(VirtualUser u, long sent, long now, boolean ok, boolean async) {
        if (done.isDone()) {
            return;
        }
        u.owner.completed(sent, now);
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

    /** A new user's iteration of the flow the mix picks for {@code seq}; waiting for room may make it late. */
    @Override
    public void arrive(LoadModel.Owner by, int phaseIndex, long intended, long now, long seq, boolean waitedForRoom) {
        if (waitedForRoom && now - intended > plan.lateBoundNanos()) {
            lateWhileBusy++;
        }
        flows.arrive(by, plan.mix().pick(seq), phaseIndex, intended, now);
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
        if (phases != null) {
            phases.retire();
        }
        int abandoned = requests.size();
        if (realtime != null) {
            abandoned += realtime.closeAll(end);
        }
        flows.abortWaiting(end);
        requests.abandon(end);
        if (transport != null) {
            transport.close();
        }
        done.complete(EngineOutcome.of(stopping, start, end, requests.sent(), abandoned, transport, lateWhileBusy));
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
        if (phases != null) {
            phases.retire();
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
