package dev.loadleak.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.scenario.Flow;
import dev.loadleak.scenario.Printable;
import dev.loadleak.scenario.Realtime;
import dev.loadleak.scenario.Template;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Runs the {@code ws:} and {@code socketio:} steps of one engine stripe's users. Each user holds at
 * most one connection ({@link Session}), which stays open across its steps and, for closed users,
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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpEngine core;
    private final ResultSink sink;
    private final FlowDriver driver;
    private final URI target;
    private final Map<String, Template> defaultHeaders;
    private final Supplier<RealtimeSockets> makeSockets;
    private final SplittableRandom random;
    private final Set<Session> live = new LinkedHashSet<>();
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
    }

    /** What one step of a user waits for. */
    private enum Wait { CONNECT, MESSAGE, ACK }

    /** A step under way on a connection. */
    private static final class Pending {
        int phase;
        int request;
        long intended;
        long sent;
        long expectedInterval;
        Wait wait;
        Realtime action;
        /** For a receive: the expected value (or text) rendered when the step began. */
        String expected;
        int ackId;
        /** Its answer is read for extraction (else an ack's or event's payload is not parsed). */
        boolean extracts;
        Session session;
        long deadline;
        /** Links in the list of waits with its timeout, oldest first (no timer task per wait). */
        Pending prev;
        Pending next;
        Waits list;
    }

    /**
     * The steps waiting with one timeout, in the order they began, which is the order of their
     * deadlines: the oldest expires first (as the engine's requests in flight). Few lists: one per
     * distinct timeout of the scenario's steps.
     */
    private static final class Waits {
        Pending head;
        Pending tail;

        void add(Pending p) {
            p.list = this;
            p.prev = tail;
            if (tail == null) {
                head = p;
            } else {
                tail.next = p;
            }
            tail = p;
        }

        static void remove(Pending p) {
            Waits l = p.list;
            if (l == null) {
                return;
            }
            if (p.prev == null) {
                l.head = p.next;
            } else {
                p.prev.next = p.next;
            }
            if (p.next == null) {
                l.tail = p.prev;
            } else {
                p.next.prev = p.prev;
            }
            p.prev = null;
            p.next = null;
            p.list = null;
        }
    }

    private final java.util.HashMap<Long, Waits> waits = new java.util.HashMap<>();
    /** Each event name of the scenario's emits, as a JSON string (quoted once, not per emit). */
    private final java.util.HashMap<String, String> quoted = new java.util.HashMap<>();

    /** One user's connection. */
    final class Session implements RealtimeSockets.Listener {
        final VirtualUser user;
        final Realtime.Protocol protocol;
        /** What a connect step that may reuse it names: the URL and, for Socket.IO, the namespace. */
        final String key;
        final String namespace;
        /** The Socket.IO packet prefix for the namespace: "" for "/", else "/media,". */
        final String nsPrefix;
        RealtimeSockets.Socket socket;
        boolean open;
        boolean ended;
        String endedWhy;
        Pending pending;
        /** Socket.IO: the namespace connect's payload (rendered at the connect step). */
        String connectPacket;
        long pingDeadline = Long.MAX_VALUE;
        long heartbeatNanos;
        boolean pingCheckSet;
        int nextAck;
        final ArrayDeque<String[]> kept = new ArrayDeque<>();

        Session(VirtualUser user, Realtime.Protocol protocol, String key, String namespace) {
            this.user = user;
            this.protocol = protocol;
            this.key = key;
            this.namespace = namespace;
            this.nsPrefix = namespace == null || namespace.equals("/") ? "" : namespace + ",";
        }

        @Override
        public void opened(RealtimeSockets.Socket s) {
            if (ended) {
                return;
            }
            if (protocol == Realtime.Protocol.WS) {
                open = true;
                if (pending != null && pending.wait == Wait.CONNECT) {
                    succeed(this, null, true);
                }
            }
            // Socket.IO: open once the Engine.IO handshake and the namespace answered
        }

        @Override
        public void text(String text) {
            if (ended || text.isEmpty()) {
                return;
            }
            if (protocol == Realtime.Protocol.WS) {
                count(this, RealtimeEvent.MESSAGE_RECEIVED);
                arrived(this, null, text);
            } else {
                engineIo(this, text);
            }
        }

        @Override
        public void closed(String why, boolean handshake) {
            lost(this, why, handshake ? ErrorKind.CONNECT : ErrorKind.DISCONNECT);
        }
    }

    int waiting() {
        return waiting;
    }

    /** Connections open or opening now. */
    int open() {
        return live.size();
    }

    /** Runs real-time step {@code request} of {@code u}, due at {@code intended}. */
    void run(VirtualUser u, int phase, int request, Flow.Step step, long intended, long now, long expectedInterval) {
        Pending p = new Pending();
        p.phase = phase;
        p.request = request;
        p.intended = intended;
        p.sent = now;
        p.expectedInterval = expectedInterval;
        p.action = step.realtime();
        p.extracts = !step.extract().isEmpty();
        Session s = u.realtime;
        Realtime a = step.realtime();
        if (a instanceof Realtime.WsConnect c) {
            connect(u, p, wsUri(c, u), c.headers(), c.subprotocols(), null, null);
        } else if (a instanceof Realtime.SioConnect c) {
            connect(u, p, sioUri(c, u), c.headers(), List.of(), c.namespace(), "40"
                    + (c.namespace().equals("/") ? "" : c.namespace() + ",")
                    + (c.auth() == null ? "" : c.auth().render(core.nextUserSeq(), random, u)));
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
                p.wait = Wait.MESSAGE;
                Realtime.Match m = a instanceof Realtime.WsReceive r ? r.match() : Realtime.Match.ANY;
                Template expected = m.equals() != null ? m.equals() : m.contains();
                p.expected = expected == null ? null : expected.render(core.nextUserSeq(), random, u);
                take(s, p);
            }
        }
    }

    /** A step that ends once written: it passed. */
    private void written(VirtualUser u, Pending p) {
        long done = core.now();
        sink.onSuccess(p.phase, p.request, 0, p.intended, p.sent, done, p.expectedInterval);
        core.realtimeStepEnded(u, p.sent, done, true, false);
    }

    private void emit(Session s, Pending p, Realtime.SioEmit emit) {
        String data = emit.data() == null ? "" : "," + emit.data().render(core.nextUserSeq(), random, s.user);
        String id = "";
        if (emit.ack()) {
            p.wait = Wait.ACK;
            p.ackId = s.nextAck++;
            id = Integer.toString(p.ackId);
            await(s, p);
        }
        s.socket.send("42" + s.nsPrefix + id + "[" + quoted.computeIfAbsent(emit.event(), RealtimeSteps::quote) + data
                + "]");
        count(s, RealtimeEvent.MESSAGE_SENT);
        if (!emit.ack()) {
            written(s.user, p);
        }
    }

    /** A close (or disconnect) step; with nothing open there is nothing to close, and it passes. */
    private void close(VirtualUser u, Session s, Pending p) {
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
    private void connect(VirtualUser u, Pending p, URI uri, Map<String, Template> stepHeaders, List<String> subprotocols,
                         String namespace, String connectPacket) {
        String key = uri + (namespace == null ? "" : " " + namespace);
        Session old = u.realtime;
        if (old != null && !old.ended && old.open && old.key.equals(key)) {
            // a closed user's next iteration: its connection stays open, nothing is sent or measured
            count(old, RealtimeEvent.REUSED);
            core.realtimeStepEnded(u, p.sent, p.sent, true, false);
            return;
        }
        drop(u);
        Session s = new Session(u, namespace == null ? Realtime.Protocol.WS : Realtime.Protocol.SOCKETIO, key, namespace);
        s.connectPacket = connectPacket;
        u.realtime = s;
        live.add(s);
        count(s, RealtimeEvent.OPENED);
        sink.onSend(p.phase, p.request, p.intended, p.sent, 0);
        p.wait = Wait.CONNECT;
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
    private boolean usable(VirtualUser u, Session s, Pending p) {
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
        core.realtimeStepEnded(u, p.sent, now, false, false);
        return false;
    }

    /** Takes a kept message that matches {@code p}, or waits for one. */
    private void take(Session s, Pending p) {
        for (var it = s.kept.iterator(); it.hasNext(); ) {
            String[] m = it.next();
            if (matches(p, m[0], m[1])) {
                it.remove();
                s.pending = p;
                waiting++;
                succeed(s, answer(p, m[0], m[1]), false);
                return;
            }
        }
        await(s, p);
    }

    /** {@code p} waits on {@code s} until its answer comes or its timeout passes. */
    private void await(Session s, Pending p) {
        s.pending = p;
        p.session = s;
        waiting++;
        long timeout = timeout(p.action);
        p.deadline = core.now() + timeout;
        waits.computeIfAbsent(timeout, t -> new Waits()).add(p);
    }

    /** Fails every wait whose deadline has come (the engine calls it on each dispatch: its 1 ms tick and more). */
    void expire(long now) {
        if (waiting == 0) {
            return;
        }
        for (Waits l : waits.values()) {
            for (Pending p = l.head; p != null && p.deadline <= now; p = l.head) {
                fail(p.session, ErrorKind.TIMEOUT, "no " + what(p) + " within " + timeout(p.action) / 1_000_000 + " ms",
                        false);
            }
        }
    }

    private static String what(Pending p) {
        return switch (p.wait) {
            case CONNECT -> p.action.protocol() == Realtime.Protocol.WS ? "WebSocket upgrade"
                    : "Socket.IO namespace connect";
            case ACK -> "ack";
            case MESSAGE -> p.action instanceof Realtime.SioOn on ? "\"" + on.event() + "\" event"
                    : "message matching " + ((Realtime.WsReceive) p.action).match().describe();
        };
    }

    private long timeout(Realtime action) {
        return action.timeoutNanos() > 0 ? action.timeoutNanos() : core.timeoutNanos();
    }

    // ---- what arrives ----

    /** One Engine.IO packet: open, ping, close or a Socket.IO packet. */
    private void engineIo(Session s, String text) {
        switch (text.charAt(0)) {
            case '0' -> {
                JsonNode open = parse(text.substring(1));
                long interval = open == null ? 25_000 : open.path("pingInterval").asLong(25_000);
                long grace = open == null ? 20_000 : open.path("pingTimeout").asLong(20_000);
                s.heartbeatNanos = (interval + grace) * 1_000_000L;
                heard(s);
                s.socket.send(s.connectPacket);
            }
            case '2' -> {
                s.socket.send("3" + text.substring(1));
                count(s, RealtimeEvent.HEARTBEAT);
                heard(s);
            }
            case '1' -> lost(s, "the server closed the Engine.IO session", ErrorKind.DISCONNECT);
            case '4' -> socketIo(s, text);
            default -> { } // pong, noop, upgrade: nothing to do over a WebSocket-only session
        }
    }

    /** A Socket.IO packet ({@code 4} + type + [namespace,] + [ack id] + JSON). */
    private void socketIo(Session s, String text) {
        if (text.length() < 2) {
            return;
        }
        char type = text.charAt(1);
        int i = 2;
        String ns = "/";
        if (i < text.length() && text.charAt(i) == '/') {
            int comma = text.indexOf(',', i);
            ns = comma < 0 ? text.substring(i) : text.substring(i, comma);
            i = comma < 0 ? text.length() : comma + 1;
        }
        int id = -1;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            id = (id < 0 ? 0 : id * 10) + text.charAt(i++) - '0';
        }
        if (!ns.equals(s.namespace)) {
            return;
        }
        String json = text.substring(i);
        switch (type) {
            case '0' -> {
                s.open = true;
                if (s.pending != null && s.pending.wait == Wait.CONNECT) {
                    succeed(s, json.isEmpty() ? null : json, true);
                }
            }
            case '4' -> {
                JsonNode err = parse(json);
                String message = err == null ? json : err.path("message").asText(json);
                lost(s, "connect_error from " + ns + ": " + Printable.excerpt(message, 200), ErrorKind.CONNECT_ERROR);
            }
            case '1' -> lost(s, "the server disconnected the namespace " + ns, ErrorKind.DISCONNECT);
            case '2' -> {
                count(s, RealtimeEvent.MESSAGE_RECEIVED);
                String event = eventName(json);
                if (event != null) {
                    arrived(s, event, json); // its arguments are read only by a step that extracts
                }
            }
            case '3' -> {
                count(s, RealtimeEvent.MESSAGE_RECEIVED);
                Pending p = s.pending;
                if (p != null && p.wait == Wait.ACK && p.ackId == id) {
                    JsonNode args = p.extracts ? parse(json) : null;
                    succeed(s, !p.extracts ? null : args == null ? json : payload(args, 0), true);
                }
            }
            default -> count(s, RealtimeEvent.MESSAGE_RECEIVED); // binary events: counted, not read
        }
    }

    /** The arguments from {@code from} on as the payload a step extracts from: the only one, or the array of them. */
    private static String payload(JsonNode args, int from) {
        if (!args.isArray() || args.size() <= from) {
            return "";
        }
        if (args.size() == from + 1) {
            JsonNode only = args.get(from);
            return only.isTextual() ? only.asText() : only.toString();
        }
        var rest = JSON.createArrayNode();
        for (int i = from; i < args.size(); i++) {
            rest.add(args.get(i));
        }
        return rest.toString();
    }

    /** A message ({@code event} null for plain WebSocket) arrived: the waiting step takes it, or it is kept. */
    private void arrived(Session s, String event, String payload) {
        Pending p = s.pending;
        if (p != null && p.wait == Wait.MESSAGE && matches(p, event, payload)) {
            succeed(s, answer(p, event, payload), true);
            return;
        }
        if (s.kept.size() == KEPT) {
            s.kept.pollFirst();
            count(s, RealtimeEvent.DISCARDED);
        }
        s.kept.addLast(new String[] {event, payload});
    }

    /**
     * What a step that took this message extracts from (null when it extracts nothing): a plain
     * message's text, or a Socket.IO event's arguments after its name ({@code payload} is then the
     * event's whole JSON array).
     */
    private static String answer(Pending p, String event, String payload) {
        if (!p.extracts) {
            return null;
        }
        if (event == null) {
            return payload;
        }
        JsonNode args = parse(payload);
        return args == null ? payload : payload(args, 1);
    }

    /**
     * The name of the event whose JSON array is {@code json} ({@code ["name", ...]}), read without
     * parsing the rest; null when it is not one.
     */
    static String eventName(String json) {
        if (json.length() > 2 && json.charAt(0) == '[' && json.charAt(1) == '"') {
            for (int i = 2; i < json.length(); i++) {
                char c = json.charAt(i);
                if (c == '"') {
                    return json.substring(2, i);
                }
                if (c == '\\') {
                    break; // an escape: let the parser read it
                }
            }
        }
        JsonNode args = parse(json);
        return args != null && args.isArray() && !args.isEmpty() && args.get(0).isTextual() ? args.get(0).asText() : null;
    }

    private static boolean matches(Pending p, String event, String payload) {
        if (p.action instanceof Realtime.SioOn on) {
            return on.event().equals(event);
        }
        Realtime.Match m = ((Realtime.WsReceive) p.action).match();
        if (event != null) {
            return false;
        }
        if (m.pointer() != null) {
            JsonNode n = parse(payload);
            JsonNode at = n == null ? null : n.at(m.pointer());
            return at != null && !at.isMissingNode() && (at.isValueNode() ? at.asText() : at.toString()).equals(p.expected);
        }
        return m.contains() == null || payload.contains(p.expected);
    }

    // ---- heartbeats ----

    /** A ping (or the handshake) came: the server is there until {@code heartbeatNanos} from now. */
    private void heard(Session s) {
        long now = core.now();
        s.pingDeadline = now + s.heartbeatNanos;
        if (!s.pingCheckSet) {
            s.pingCheckSet = true;
            core.later(s.heartbeatNanos, () -> checkPing(s));
        }
    }

    private void checkPing(Session s) {
        s.pingCheckSet = false;
        if (s.ended) {
            return;
        }
        long now = core.now();
        if (now >= s.pingDeadline) {
            lost(s, "no Engine.IO ping from the server for " + s.heartbeatNanos / 1_000_000
                    + " ms (its pingInterval + pingTimeout)", ErrorKind.DISCONNECT);
        } else {
            s.pingCheckSet = true;
            core.later(s.pingDeadline - now, () -> checkPing(s));
        }
    }

    // ---- ends ----

    /** The step waiting on {@code s} passed; {@code payload} (if any) goes to its extractions. */
    private void succeed(Session s, String payload, boolean async) {
        Pending p = s.pending;
        s.pending = null;
        Waits.remove(p);
        waiting--;
        VirtualUser u = s.user;
        long now = core.now();
        String why = payload == null ? null : driver.answered(u, p.request, 0, null, payload);
        if (why != null) {
            sink.onError(p.phase, p.request, ErrorKind.ASSERTION, u.redact(why), p.intended, p.sent, now);
        } else {
            sink.onSuccess(p.phase, p.request, 0, p.intended, p.sent, now, p.expectedInterval);
        }
        core.realtimeStepEnded(u, p.sent, now, why == null, async);
    }

    /** The step waiting on {@code s} failed. */
    private void fail(Session s, ErrorKind kind, String why, boolean async) {
        Pending p = s.pending;
        s.pending = null;
        Waits.remove(p);
        waiting--;
        long now = core.now();
        sink.onError(p.phase, p.request, kind, s.user.redact(why), p.intended, p.sent, now);
        core.realtimeStepEnded(s.user, p.sent, now, false, async);
    }

    /** {@code s} ended by the server's doing (or could not open): a waiting step fails with {@code kind}, else the next step that needs it. */
    private void lost(Session s, String why, ErrorKind kind) {
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
        Session s = u.realtime;
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
        for (Session s : new ArrayList<>(live)) {
            if (s.pending != null) {
                Waits.remove(s.pending);
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

    private void count(Session s, RealtimeEvent e) {
        sink.onRealtime(s.user.phase, s.user.flow, e);
    }

    private static JsonNode parse(String json) {
        try {
            return json.isEmpty() ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
