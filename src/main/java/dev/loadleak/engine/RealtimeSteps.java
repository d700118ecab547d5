package dev.loadleak.engine;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.scenario.Flow;
import dev.loadleak.scenario.Realtime;
import dev.loadleak.scenario.Template;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Runs the {@code ws:} and {@code socketio:} steps of one engine stripe's users. Each user holds at
 * most one connection ({@link RealtimeSession}), which stays open across its steps and, for closed users,
 * across iterations, until a close step, a {@code resetEachIteration}, the user's end or the run's.
 *
 * <p>A step is measured as an HTTP step is: from when it was due (corrected) and from when it
 * began (uncorrected). A connect lasts until the upgrade (and for Socket.IO, the namespace's
 * answer); an emit with {@code ack}, until the ack; a receive or an {@code on}, until the matching
 * message (one that came earlier and was not yet taken counts, from the last {@value #KEPT}). A
 * send, an emit without ack and a close end when written. Socket.IO speaks Engine.IO 4 over the
 * WebSocket only: pings are answered at once, and a server whose pings stop for its
 * {@code pingInterval + pingTimeout} has gone: the connection ends as a {@code disconnect}.
 *
 * <p>A connection that ends while no step waits on it is reported by the next step that needs it
 * (kind {@code disconnect}, with why), so no drop goes unseen. Touched only on the stripe's thread.
 */
final class RealtimeSteps {
    /** Messages kept per connection for a later receive or on: step (older ones are dropped, and counted). */
    static final int KEPT = 64;

    private final HttpEngine core;
    private final ResultSink sink;
    private final FlowDriver driver;
    private final URI target;
    private final Map<String, Template> defaultHeaders;
    private Supplier<RealtimeSockets> makeSockets;
    private final SplittableRandom random;
    private final Set<RealtimeSession> live = new LinkedHashSet<>();
    private RealtimeSockets sockets;
    private int waiting;

    RealtimeSteps(HttpEngine core, ResultSink sink, FlowDriver driver, EnginePlan plan, Supplier<RealtimeSockets> sockets,
                  long seed) {
        this.core = core;
        this.sink = sink;
        this.driver = driver;
        this.target = plan.target();
        this.defaultHeaders = plan.defaultHeaders();
        this.makeSockets = sockets;
        this.random = new SplittableRandom(seed ^ 0x3C6EF372FE94F82BL);
        this.inbound = new RealtimeInbound(this, core);
    }

    private final RealtimeWait.Timeouts timeouts = new RealtimeWait.Timeouts();
    private final RealtimeInbound inbound;
    /** Each event name of the scenario's emits, as a JSON string (quoted once, not per emit). */
    private final java.util.HashMap<String, String> quoted = new java.util.HashMap<>();

    /** The real-time steps of {@code plan}'s flows on one stripe, or null when its flows have none. */
    static RealtimeSteps forPlan(HttpEngine core, ResultSink sink, FlowDriver driver, EnginePlan plan,
                                 Supplier<RealtimeSockets> sockets, long seed) {
        boolean any = plan.flows().flows().stream().flatMap(f -> f.steps().stream()).anyMatch(s -> s.realtime() != null);
        return any ? new RealtimeSteps(core, sink, driver, plan, sockets, seed) : null;
    }

    /** The WebSockets come from {@code s} (a test's fake): call before the first step. */
    void useSockets(RealtimeSockets s) {
        makeSockets = () -> s;
    }

    int waiting() {
        return waiting;
    }

    /** Runs real-time step {@code request} of {@code u}, due at {@code intended}. */
    void run(VirtualUser u, int phase, int request, Flow.Step step, long intended, long now, long expectedInterval) {
        RealtimeWait p = new RealtimeWait();
        p.phase = phase;
        p.request = request;
        p.intended = intended;
        p.sent = now;
        p.expectedInterval = expectedInterval;
        p.action = step.realtime();
        p.extracts = !step.extract().isEmpty();
        RealtimeSession s = u.realtime;
        Realtime a = step.realtime();
        if (a instanceof Realtime.WsConnect || a instanceof Realtime.SioConnect) {
            URI uri;
            try {
                uri = a instanceof Realtime.WsConnect c ? wsUri(c, u) : sioUri((Realtime.SioConnect) a, u);
            } catch (IllegalArgumentException e) {
                // a value rendered into the path made it no URI: this step fails, not the run
                sink.onSend(phase, request, intended, now, 0);
                sink.onError(phase, request, ErrorKind.OTHER, u.redact("not a URI: " + e.getMessage()), intended, now,
                        core.now());
                core.stepEnded(u, now, core.now(), false, false);
                return;
            }
            if (a instanceof Realtime.WsConnect c) {
                connect(u, p, uri, c.headers(), c.subprotocols(), null, null);
            } else {
                Realtime.SioConnect c = (Realtime.SioConnect) a;
                connect(u, p, uri, c.headers(), List.of(), c.namespace(), "40"
                        + (c.namespace().equals("/") ? "" : c.namespace() + ",")
                        + (c.auth() == null ? "" : c.auth().render(core.nextUserSeq(), random, u)));
            }
        } else if (a instanceof Realtime.Close) {
            close(u, s, p);
        } else if (usable(u, s, p)) {
            sink.onSend(phase, request, intended, now, 0);
            if (a instanceof Realtime.WsSend send) {
                s.socket.send(send.text().render(core.nextUserSeq(), random, u));
                count(s, RealtimeEvent.MESSAGE_SENT);
                written(u, p);
            } else if (a instanceof Realtime.SioEmit emit) {
                emit(s, p, emit);
            } else {
                p.kind = RealtimeWait.Kind.MESSAGE;
                Realtime.Match m = a instanceof Realtime.WsReceive r ? r.match() : Realtime.Match.ANY;
                Template expected = m.equals() != null ? m.equals() : m.contains();
                p.expected = expected == null ? null : expected.render(core.nextUserSeq(), random, u);
                take(s, p);
            }
        }
    }

    /** A step that ends once written: it passed. */
    private void written(VirtualUser u, RealtimeWait p) {
        long done = core.now();
        sink.onSuccess(p.phase, p.request, 0, p.intended, p.sent, done, p.expectedInterval);
        core.stepEnded(u, p.sent, done, true, false);
    }

    private void emit(RealtimeSession s, RealtimeWait p, Realtime.SioEmit emit) {
        String data = emit.data() == null ? "" : "," + emit.data().render(core.nextUserSeq(), random, s.user);
        String id = "";
        if (emit.ack()) {
            p.kind = RealtimeWait.Kind.ACK;
            p.ackId = s.nextAck++;
            id = Integer.toString(p.ackId);
            await(s, p);
        }
        s.socket.send("42" + s.nsPrefix + id + "[" + quoted.computeIfAbsent(emit.event(), SocketIoPackets::quote) + data
                + "]");
        count(s, RealtimeEvent.MESSAGE_SENT);
        if (!emit.ack()) {
            written(s.user, p);
        }
    }

    /** A close (or disconnect) step; with nothing open there is nothing to close, and it passes. */
    private void close(VirtualUser u, RealtimeSession s, RealtimeWait p) {
        if (s == null) {
            sink.onSend(p.phase, p.request, p.intended, p.sent, 0);
            written(u, p);
        } else if (usable(u, s, p)) {
            sink.onSend(p.phase, p.request, p.intended, p.sent, 0);
            if (s.protocol == Realtime.Protocol.SOCKETIO) {
                s.socket.send("41" + s.nsPrefix);
            }
            drop(u);
            written(u, p);
        }
    }

    /** Opens {@code u}'s connection to {@code uri}, unless the one it holds is to the same place and open. */
    private void connect(VirtualUser u, RealtimeWait p, URI uri, Map<String, Template> stepHeaders, List<String> subprotocols,
                         String namespace, String connectPacket) {
        String key = uri + (namespace == null ? "" : " " + namespace);
        RealtimeSession old = u.realtime;
        if (old != null && !old.ended && old.open && old.key.equals(key)) {
            // a closed user's next iteration: its connection stays open, nothing is sent or measured
            count(old, RealtimeEvent.REUSED);
            core.stepEnded(u, p.sent, p.sent, true, false);
            return;
        }
        drop(u);
        RealtimeSession s = new RealtimeSession(inbound, u, namespace == null ? Realtime.Protocol.WS : Realtime.Protocol.SOCKETIO, key, namespace);
        s.connectPacket = connectPacket;
        u.realtime = s;
        live.add(s);
        count(s, RealtimeEvent.OPENED);
        sink.onSend(p.phase, p.request, p.intended, p.sent, 0);
        p.kind = RealtimeWait.Kind.CONNECT;
        await(s, p);
        List<String> headers = new ArrayList<>();
        long seq = core.nextUserSeq();
        defaultHeaders.forEach((k, v) -> {
            if (!stepHeaders.containsKey(k)) {
                headers.add(k);
                headers.add(v.render(seq, random, u));
            }
        });
        stepHeaders.forEach((k, v) -> {
            headers.add(k);
            headers.add(v.render(seq, random, u));
        });
        String cookie = u.cookieHeader(target.getHost(), uri.getRawPath(), "wss".equals(uri.getScheme()));
        if (cookie != null) {
            headers.add("Cookie");
            headers.add(cookie);
        }
        if (sockets == null) {
            sockets = makeSockets.get();
        }
        s.socket = sockets.open(uri, headers, subprotocols, (int) Math.min(Integer.MAX_VALUE,
                Math.max(1, timeout(p.action) / 1_000_000)), s);
    }

    private URI wsUri(Realtime.WsConnect c, VirtualUser u) {
        return URI.create(wsOrigin() + c.path().render(core.nextUserSeq(), random, u));
    }

    private URI sioUri(Realtime.SioConnect c, VirtualUser u) {
        String query = c.query() == null ? "" : c.query().render(core.nextUserSeq(), random, u);
        return URI.create(wsOrigin() + c.path() + "?EIO=4&transport=websocket" + query);
    }

    private String wsOrigin() {
        return ("https".equalsIgnoreCase(target.getScheme()) ? "wss://" : "ws://") + target.getRawAuthority();
    }

    /** Whether {@code s} can carry step {@code p} of {@code u}; if not, the step fails (and says why). */
    private boolean usable(VirtualUser u, RealtimeSession s, RealtimeWait p) {
        String why = s == null ? "no connection: the flow has no " + p.action.protocol().key + " connect step before this one"
                : s.ended ? "the connection had ended: " + s.endedWhy
                : !s.open ? "the connection is not open yet" : s.protocol != p.action.protocol()
                ? "the connection speaks " + s.protocol.key + ", not " + p.action.protocol().key : null;
        if (why == null) {
            return true;
        }
        long now = core.now();
        sink.onSend(p.phase, p.request, p.intended, p.sent, 0);
        ErrorKind kind = s != null && s.ended ? ErrorKind.DISCONNECT : ErrorKind.OTHER;
        sink.onError(p.phase, p.request, kind, u.redact(why), p.intended, p.sent, now);
        if (s != null && s.ended) {
            u.realtime = null; // reported once: a later connect starts afresh
        }
        core.stepEnded(u, p.sent, now, false, false);
        return false;
    }

    /** Takes a kept message that matches {@code p}, or waits for one. */
    private void take(RealtimeSession s, RealtimeWait p) {
        for (var it = s.kept.iterator(); it.hasNext(); ) {
            String[] m = it.next();
            if (RealtimeInbound.matches(p, m[0], m[1])) {
                it.remove();
                s.pending = p;
                waiting++;
                succeed(s, RealtimeInbound.answer(p, m[0], m[1]), false);
                return;
            }
        }
        await(s, p);
    }

    /** {@code p} waits on {@code s} until its answer comes or its timeout passes. */
    private void await(RealtimeSession s, RealtimeWait p) {
        s.pending = p;
        p.session = s;
        waiting++;
        timeouts.add(p, timeout(p.action), core.now());
    }

    /** Fails every wait whose deadline has come (the engine calls it on each dispatch: its 1 ms tick and more). */
    void expire(long now) {
        for (RealtimeWait p = waiting == 0 ? null : timeouts.due(now); p != null; p = timeouts.due(now)) {
            fail(p.session, ErrorKind.TIMEOUT, "no " + p.what() + " within " + timeout(p.action) / 1_000_000 + " ms",
                    false);
        }
    }

    private long timeout(Realtime action) {
        return action.timeoutNanos() > 0 ? action.timeoutNanos() : core.timeoutNanos();
    }

    // ---- ends ----

    /** The step waiting on {@code s} passed; {@code payload} (if any) goes to its extractions. */
    void succeed(RealtimeSession s, String payload, boolean async) {
        RealtimeWait p = s.pending;
        s.pending = null;
        RealtimeWait.Timeouts.remove(p);
        waiting--;
        VirtualUser u = s.user;
        long now = core.now();
        String why = payload == null ? null : driver.answered(u, p.request, 0, null, payload);
        if (why != null) {
            sink.onError(p.phase, p.request, ErrorKind.ASSERTION, u.redact(why), p.intended, p.sent, now);
        } else {
            sink.onSuccess(p.phase, p.request, 0, p.intended, p.sent, now, p.expectedInterval);
        }
        core.stepEnded(u, p.sent, now, why == null, async);
    }

    /** The step waiting on {@code s} failed. */
    private void fail(RealtimeSession s, ErrorKind kind, String why, boolean async) {
        RealtimeWait p = s.pending;
        s.pending = null;
        RealtimeWait.Timeouts.remove(p);
        waiting--;
        long now = core.now();
        sink.onError(p.phase, p.request, kind, s.user.redact(why), p.intended, p.sent, now);
        core.stepEnded(s.user, p.sent, now, false, async);
    }

    /** {@code s} ended by the server's doing (or could not open): a waiting step fails with {@code kind}, else the next step that needs it. */
    void lost(RealtimeSession s, String why, ErrorKind kind) {
        if (s.ended) {
            return;
        }
        s.ended = true;
        s.endedWhy = why;
        s.open = false;
        live.remove(s);
        count(s, RealtimeEvent.CLOSED);
        count(s, RealtimeEvent.LOST);
        if (s.socket != null) {
            s.socket.close();
        }
        if (s.pending != null) {
            if (s.user.realtime == s) {
                s.user.realtime = null; // reported by this step: a later connect starts afresh
            }
            fail(s, kind, why, true);
        }
    }

    /** Closes {@code u}'s connection, if it has one (its iteration, its user or the run ended). */
    void drop(VirtualUser u) {
        RealtimeSession s = u.realtime;
        u.realtime = null;
        if (s == null || s.ended) {
            return;
        }
        s.ended = true;
        s.endedWhy = "closed by loadleak";
        live.remove(s);
        count(s, RealtimeEvent.CLOSED);
        if (s.socket != null) {
            s.socket.close();
        }
    }

    /** The run ended: steps still waiting are cut (their iterations aborted), every connection closes. Returns how many were cut. */
    int closeAll(long now) {
        int cut = 0;
        for (RealtimeSession s : new ArrayList<>(live)) {
            if (s.pending != null) {
                RealtimeWait.Timeouts.remove(s.pending);
                s.pending = null;
                waiting--;
                cut++;
                driver.abortInFlight(s.user, now);
            }
            drop(s.user);
        }
        if (sockets != null) {
            sockets.closeAll();
        }
        return cut;
    }

    void count(RealtimeSession s, RealtimeEvent e) {
        sink.onRealtime(s.user.phase, s.user.flow, e);
    }
}
