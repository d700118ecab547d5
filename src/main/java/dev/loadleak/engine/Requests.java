package dev.loadleak.engine;

import dev.loadleak.result.ErrorKind;
import java.util.SplittableRandom;

/**
 * The per-request path of one engine stripe: puts a user's step in flight through the transport, completes it
 * with its answer or error, and times it out. At most {@code maxInFlight} are in flight (connections × pipelining
 * depth, or HTTP/2 streams per connection); none outlives the run's planned end plus the timeout. Timeouts need no
 * timer per request: every request has the same timeout, so the oldest in flight expires first. Touched only on
 * the stripe's thread; what a step's end means for its user is the engine's ({@link HttpEngine#stepEnded}).
 */
final class Requests {
    private final HttpEngine engine;
    private final FlowDriver flows;
    private final ResultSink sink;
    private final PreparedRequest[] prepared;
    private final SplittableRandom random;
    private final int maxInFlight;
    private final long timeoutNanos;
    private final int followRedirects;
    private final int stripe;
    private final int stripes;
    private final InFlightList inFlight = new InFlightList();
    private Transport transport;
    /** No exchange outlives the run's planned end plus the timeout (set when the schedule starts). */
    private long latestDeadline = Long.MAX_VALUE;
    private long userSends;
    private long sent;
    /** Exchanges that ended and that nothing calls back any more, for reuse (linked by {@code next}). */
    private Exchange free;

    Requests(HttpEngine engine, FlowDriver flows, ResultSink sink, PreparedRequest[] prepared, EnginePlan plan,
             int maxInFlight, int stripe, int stripes) {
        this.engine = engine;
        this.flows = flows;
        this.sink = sink;
        this.prepared = prepared;
        this.random = new SplittableRandom(plan.seed() + stripe);
        this.maxInFlight = maxInFlight;
        this.timeoutNanos = plan.timeoutNanos();
        this.followRedirects = plan.protocol().followRedirects();
        this.stripe = stripe;
        this.stripes = stripes;
    }

    /** The transport they go through (made on the stripe's thread before the first send). */
    void transport(Transport t) {
        transport = t;
    }

    /** The schedule started: nothing in flight may outlive {@code planEnd} plus the timeout. */
    void planEnd(long planEnd) {
        latestDeadline = planEnd + timeoutNanos;
    }

    boolean hasRoom() {
        return inFlight.size() < maxInFlight;
    }

    int size() {
        return inFlight.size();
    }

    /** Requests put in flight so far. */
    long sent() {
        return sent;
    }

    /** The {@code ${seq}} of a user's next send (a request or a real-time connect): disjoint across stripes. */
    long nextSeq() {
        return stripe + stripes * userSends++;
    }

    FlowDriver flows() {
        return flows;
    }

    int followRedirects() {
        return followRedirects;
    }

    /** Puts step {@code request} of {@code user}, due at {@code intended}, in flight and reports the send. */
    void send(VirtualUser user, int phase, int request, long intended, long now, long expectedInterval) {
        sent++;
        Exchange x = free;
        if (x != null) {
            free = x.next;
            x.next = null;
        } else {
            x = new Exchange(this);
        }
        x.set(phase, request, prepared[request], intended, now, expectedInterval,
                Math.min(now + timeoutNanos, latestDeadline), user);
        inFlight.add(x);
        long bodyBytes = transport.send(x, nextSeq(), random);
        sink.onSend(phase, request, intended, now, bodyBytes);
    }

    /** {@code x} ended: a success when {@code bad} is null, else an error of that kind. */
    void complete(Exchange x, int status, ErrorKind bad, String detail) {
        if (!x.end()) {
            return;
        }
        inFlight.remove(x);
        long now = engine.now();
        if (bad == null) {
            sink.onSuccess(x.phase, x.request, status, x.intended, x.sent, now, x.expectedInterval);
        } else {
            sink.onError(x.phase, x.request, bad, x.user.redact(detail), x.intended, x.sent, now);
        }
        engine.stepEnded(x.user, x.sent, now, bad == null, true);
    }

    /** {@code x} ended and its transport released it: a later send may reuse it. */
    void reuse(Exchange x) {
        x.user = null;
        x.pr = null;
        x.handle(null);
        x.next = free;
        free = x;
    }

    /** Times out every request whose deadline is past at {@code now}, oldest first. */
    void expire(long now) {
        for (Exchange x = inFlight.oldest(); x != null && now >= x.deadline; x = inFlight.oldest()) {
            inFlight.remove(x);
            if (!x.end()) {
                continue; // never: an ended exchange has left the list already
            }
            transport.abort(x);
            sink.onError(x.phase, x.request, ErrorKind.TIMEOUT, now - x.sent >= timeoutNanos
                    ? "no complete response within " + timeoutNanos / 1_000_000 + " ms"
                    : "no complete response by the planned end of the run plus the timeout", x.intended, x.sent, now);
            engine.stepEnded(x.user, x.sent, now, false, true);
        }
    }

    /** The run ended: the iterations whose step is still in flight are cut (the requests are reported abandoned). */
    void abandon(long end) {
        for (Exchange x = inFlight.oldest(); x != null; x = x.next) {
            flows.abortInFlight(x.user, end);
        }
    }
}
