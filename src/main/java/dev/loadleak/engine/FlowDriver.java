package dev.loadleak.engine;

import dev.loadleak.engine.cookies.CookieJar;
import dev.loadleak.engine.cookies.Extractor;
import dev.loadleak.engine.load.LoadModel;
import dev.loadleak.scenario.Flow;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs flows on one engine stripe: each virtual user sends its flow's steps in order, extracting
 * values and keeping cookies, pausing between steps in one heap of due times. A step's latency
 * counts from when it was due (the iteration's intended start for the first step; the previous
 * step's end plus its think time for the others), so a slow answer or a busy pool shows in the
 * corrected figures; an iteration's duration counts from its intended start.
 *
 * <p>A failed step (its {@code expect}, an extraction that finds nothing, a transport error) ends
 * the iteration unless the flow says {@code onError: continue}; the steps it did not send are
 * reported as skipped. Iterations cut by the end of the run, of a closed phase or by a stop are
 * {@code aborted}, their remaining steps skipped too: every step is accounted for.
 */
final class FlowDriver {
    private final HttpEngine core;
    /** The steps' requests, by index (a step's cookies are kept under its request's host). */
    private final PreparedRequest[] prepared;
    private final ResultSink sink;
    private final List<Flow> flows;
    /** The index of each flow's first step among the plan's requests (steps are listed flow by flow). */
    private final int[] firstRequest;
    private final Extractor[] extractors;
    private final Flow.Step[] steps;
    private final int[] flowOfRequest;
    /** Per flow, read on every step's end: its steps, and whether it goes on after a failed step, resets, keeps cookies. */
    private final int[] stepCount;
    private final boolean[] continueOnError;
    private final boolean[] resetEachIteration;
    private final boolean[] cookies;
    /** Flows with no real-time step: their dropped users hold nothing that calls back, so they may be reused. */
    private final boolean[] plain;
    private final boolean[] secretSlots;
    private final String[] shared;
    private final UserHeap heap = new UserHeap();
    private final SplittableRandom random;
    private final int slots;
    /** Open-model users whose iteration ended, for the next arrivals (linked by {@code spareNext}). */
    private VirtualUser spare;

    FlowDriver(HttpEngine core, ResultSink sink, Flow.Plan plan, PreparedRequest[] prepared, String[] shared, long seed) {
        this.core = core;
        this.prepared = prepared;
        this.sink = sink;
        this.flows = plan.flows();
        this.shared = shared;
        this.slots = plan.variables().size();
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        firstRequest = new int[flows.size()];
        stepCount = new int[flows.size()];
        continueOnError = new boolean[flows.size()];
        resetEachIteration = new boolean[flows.size()];
        cookies = new boolean[flows.size()];
        plain = new boolean[flows.size()];
        int n = flows.stream().mapToInt(f -> f.steps().size()).sum();
        extractors = new Extractor[n];
        steps = new Flow.Step[n];
        flowOfRequest = new int[n];
        secretSlots = new boolean[slots];
        int r = 0;
        for (int f = 0; f < flows.size(); f++) {
            firstRequest[f] = r;
            Flow flow = flows.get(f);
            stepCount[f] = flow.steps().size();
            continueOnError[f] = flow.continueOnError();
            resetEachIteration[f] = flow.resetEachIteration();
            cookies[f] = flow.cookies();
            plain[f] = flow.steps().stream().allMatch(st -> st.realtime() == null);
            for (Flow.Step s : flow.steps()) {
                steps[r] = s;
                extractors[r] = new Extractor(s.extract());
                flowOfRequest[r] = f;
                s.extract().forEach(e -> secretSlots[e.slot()] |= e.secret());
                r++;
            }
        }
        plan.setup().forEach(s -> s.extract().forEach(e -> secretSlots[e.slot()] |= e.secret()));
    }

    /** Whether request {@code r} (a step) keeps the answer's body, its headers, and only its Set-Cookie ones. */
    static boolean[] needs(Flow.Plan plan, int r) {
        int i = 0;
        for (Flow f : plan.flows()) {
            for (Flow.Step s : f.steps()) {
                if (i++ == r) {
                    return new boolean[] {s.needsBody(), s.needsHeaders() || f.cookies(), !s.needsHeaders()};
                }
            }
        }
        return new boolean[] {false, false, false};
    }

    long now() {
        return core.now();
    }

    String shared(int slot) {
        return shared == null || slot >= shared.length ? null : shared[slot];
    }

    boolean secret(int slot) {
        return secretSlots[slot];
    }

    int flows() {
        return flows.size();
    }

    /** Starts an iteration of {@code flow} for {@code u}, due at {@code intended}; it waits in the heap. */
    void begin(VirtualUser u, int flow, int phase, long intended) {
        if (resetEachIteration[flow]) {
            if (u.realtime != null) {
                core.realtime().drop(u);
            }
            u.reset();
        }
        u.flow = flow;
        u.step = 0;
        u.phase = phase;
        u.failed = false;
        u.iterationStart = intended;
        u.firstSent = Long.MIN_VALUE;
        u.due = intended;
        sink.onIterationStart(phase, flow);
        heap.add(u);
    }

    /** Sends every step due by {@code now} while a connection is free; asks to be woken for the next. */
    void dispatch(long now) {
        VirtualUser u;
        while ((u = heap.peek()) != null && u.due <= now && core.hasRoom()) {
            heap.poll();
            if (core.stopping() || u.owner.retired()) {
                end(u, IterationEnd.ABORTED, now, u.step);
                continue;
            }
            if (u.firstSent == Long.MIN_VALUE) {
                u.firstSent = now;
            }
            int r = firstRequest[u.flow] + u.step;
            if (steps[r].realtime() != null) {
                core.realtime().run(u, u.phase, r, steps[r], u.due, now, u.owner.expectedInterval(u));
            } else {
                core.sendStep(u, u.phase, r, u.due, now, u.owner.expectedInterval(u));
            }
            if (heap.size() > 0) {
                now = core.now(); // the next user's send time (none waits in a max-rate run: one clock read less)
            }
        }
        u = heap.peek();
        if (u != null && u.due > now) {
            core.wakeAt(u.due, now);
        }
    }

    /**
     * A step's answer passed its checks: stores its cookies and extracts its values. Returns why
     * an extraction failed (never a value), or null.
     */
    String answered(VirtualUser u, int request, int status, List<String> headers, String body) {
        storeCookies(u, request, headers);
        Extractor x = extractors[request];
        return x.isEmpty() ? null : x.extract(status, headers, body, (e, v) -> u.put(e.slot(), v, slots));
    }

    /** Keeps the cookies an answer sets, whatever its status (a browser keeps them too). */
    void storeCookies(VirtualUser u, int request, List<String> headers) {
        if (headers == null || !cookies[flowOfRequest[request]]) {
            return;
        }
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase("set-cookie")) {
                if (u.jar == null) {
                    u.jar = new CookieJar();
                }
                u.jar.store(headers.get(i + 1), prepared[request].cookieHost(), u.sentPath == null ? "/" : u.sentPath,
                        core.now());
            }
        }
    }

    /** {@code u}'s step ended at {@code now}: {@code ok} or not, it goes on, pauses, or ends its iteration. */
    void stepEnded(VirtualUser u, boolean ok, long now) {
        u.failed |= !ok;
        if (!ok && !continueOnError[u.flow]) {
            end(u, IterationEnd.FAILED, now, u.step + 1);
            return;
        }
        if (u.step + 1 == stepCount[u.flow]) {
            end(u, u.failed ? IterationEnd.FAILED : IterationEnd.COMPLETED, now, u.step + 1);
            return;
        }
        if (core.stopping() || u.owner.retired()) {
            end(u, IterationEnd.ABORTED, now, u.step + 1); // steps remain, but the run or the phase is over
            return;
        }
        Flow.Step s = steps[firstRequest[u.flow] + u.step];
        u.step++;
        long think = s.thinkMax() > s.thinkMin() ? s.thinkMin() + random.nextLong(s.thinkMax() - s.thinkMin() + 1)
                : s.thinkMin();
        u.due = now + think;
        heap.add(u);
    }

    /** An open-model arrival: a new user with a fresh jar starts an iteration of {@code flow}, due at {@code intended}. */
    void arrive(LoadModel.Owner owner, int flow, int phase, long intended, long now) {
        begin(fresh(owner), flow, phase, intended);
        dispatch(now);
    }

    /** A user with no values and no cookies for {@code owner}: a spare one, else a new one. */
    private VirtualUser fresh(LoadModel.Owner owner) {
        VirtualUser u = spare;
        if (u == null) {
            return new VirtualUser(this, owner);
        }
        spare = u.spareNext;
        u.spareNext = null;
        u.owner = owner;
        u.reset();
        u.sentPath = null;
        return u;
    }

    /** An open-model arrival whose first step could not be sent in time: its iteration fails there. */
    void notSentArrival(LoadModel.Owner owner, int flow, int phase, long intended, long now, String detail) {
        VirtualUser u = fresh(owner); // never in the heap: nothing of it is sent
        u.flow = flow;
        u.phase = phase;
        u.iterationStart = intended;
        sink.onIterationStart(phase, flow);
        sink.onNotSent(phase, firstRequest[flow], intended, now, detail);
        end(u, IterationEnd.FAILED, now, 1);
    }

    /** Ends {@code u}'s iteration; its steps from {@code from} on were not sent. */
    private void end(VirtualUser u, IterationEnd how, long now, int from) {
        int total = stepCount[u.flow];
        for (int s = from; s < total; s++) {
            sink.onSkipped(u.phase, firstRequest[u.flow] + s);
        }
        sink.onIterationEnd(u.phase, u.flow, how, u.iterationStart, u.firstSent == Long.MIN_VALUE ? now : u.firstSent,
                now);
        if (how != IterationEnd.ABORTED) {
            u.owner.iterationEnded(u, now);
            if (!u.owner.keepsUsers() && plain[u.flow] && u.heapIndex < 0) {
                // an arrival's user is dropped: its step has ended, so nothing holds it any more but the
                // callers that ended it, which touch it no more (an end in flight at the run's end is ABORTED)
                u.spareNext = spare;
                spare = u;
                return;
            }
        }
        if (u.realtime != null && u.heapIndex < 0) {
            core.realtime().drop(u); // the user goes (an arrival's end, its phase's end, the run's): so does its connection
        }
    }

    /** Cuts every iteration waiting in the heap (the run ended or stopped). */
    void abortWaiting(long now) {
        VirtualUser u;
        while ((u = heap.poll()) != null) {
            end(u, IterationEnd.ABORTED, now, u.step);
        }
    }

    /** Cuts the iteration whose step was in flight when the run ended (its own result is reported apart). */
    void abortInFlight(VirtualUser u, long now) {
        end(u, IterationEnd.ABORTED, now, u.step + 1);
    }

    int waiting() {
        return heap.size();
    }
}
