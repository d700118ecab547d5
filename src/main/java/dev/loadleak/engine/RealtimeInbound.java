package dev.loadleak.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.scenario.Printable;
import dev.loadleak.scenario.Realtime;

/**
 * What arrives on a stripe's real-time connections: the upgrade, plain messages, Engine.IO
 * packets (the handshake, pings answered at once, close) and Socket.IO packets (the namespace's
 * connect or connect_error, events, acks, disconnect). A message is taken by the step waiting
 * for it, or kept for a later one; a server whose pings stop for its {@code pingInterval +
 * pingTimeout} has gone. Steps end through {@link RealtimeSteps}. On the stripe's thread only.
 */
final class RealtimeInbound {
    private final RealtimeSteps steps;
    private final HttpEngine core;

    RealtimeInbound(RealtimeSteps steps, HttpEngine core) {
        this.steps = steps;
        this.core = core;
    }

    /** {@code s}'s socket ended by the server's doing, or could not open. */
    void closed(RealtimeSession s, String why, boolean handshake) {
        steps.lost(s, why, handshake ? ErrorKind.CONNECT : ErrorKind.DISCONNECT);
    }

    /** The WebSocket of {@code s} opened: a plain one is then connected; Socket.IO waits for its namespace. */
    void opened(RealtimeSession s) {
        if (s.protocol == Realtime.Protocol.WS) {
            s.open = true;
            if (s.pending != null && s.pending.kind == RealtimeWait.Kind.CONNECT) {
                steps.succeed(s, null, true);
            }
        }
    }

    /** A text message on {@code s}: a plain message, or an Engine.IO packet. */
    void text(RealtimeSession s, String text) {
        if (s.protocol == Realtime.Protocol.WS) {
            steps.count(s, RealtimeEvent.MESSAGE_RECEIVED);
            arrived(s, null, text);
        } else {
            engineIo(s, text);
        }
    }

    /** One Engine.IO packet: open, ping, close or a Socket.IO packet. */
    private void engineIo(RealtimeSession s, String text) {
        switch (text.charAt(0)) {
            case '0' -> {
                s.heartbeatNanos = SocketIoPackets.heartbeatNanos(text.substring(1));
                heard(s);
                s.socket.send(s.connectPacket);
            }
            case '2' -> {
                s.socket.send("3" + text.substring(1));
                steps.count(s, RealtimeEvent.HEARTBEAT);
                heard(s);
            }
            case '1' -> steps.lost(s, "the server closed the Engine.IO session", ErrorKind.DISCONNECT);
            case '4' -> socketIo(s, SocketIoPackets.Packet.read(text));
            default -> { } // pong, noop, upgrade: nothing to do over a WebSocket-only session
        }
    }

    /** A Socket.IO packet of {@code s}'s namespace (others are not its own). */
    private void socketIo(RealtimeSession s, SocketIoPackets.Packet pk) {
        if (pk == null || !pk.namespace().equals(s.namespace)) {
            return;
        }
        switch (pk.type()) {
            case '0' -> {
                s.open = true;
                if (s.pending != null && s.pending.kind == RealtimeWait.Kind.CONNECT) {
                    steps.succeed(s, pk.json().isEmpty() ? null : pk.json(), true);
                }
            }
            case '4' -> steps.lost(s, "connect_error from " + pk.namespace() + ": "
                    + Printable.excerpt(SocketIoPackets.errorMessage(pk.json()), 200), ErrorKind.CONNECT_ERROR);
            case '1' -> steps.lost(s, "the server disconnected the namespace " + pk.namespace(), ErrorKind.DISCONNECT);
            case '2' -> {
                steps.count(s, RealtimeEvent.MESSAGE_RECEIVED);
                String event = SocketIoPackets.eventName(pk.json());
                if (event != null) {
                    arrived(s, event, pk.json()); // its arguments are read only by a step that extracts
                }
            }
            case '3' -> {
                steps.count(s, RealtimeEvent.MESSAGE_RECEIVED);
                RealtimeWait p = s.pending;
                if (p != null && p.kind == RealtimeWait.Kind.ACK && p.ackId == pk.ackId()) {
                    steps.succeed(s, p.extracts ? SocketIoPackets.arguments(pk.json(), 0) : null, true);
                }
            }
            default -> steps.count(s, RealtimeEvent.MESSAGE_RECEIVED); // binary events: counted, not read
        }
    }

    /** A message ({@code event} null for plain WebSocket) arrived: the waiting step takes it, or it is kept. */
    private void arrived(RealtimeSession s, String event, String text) {
        RealtimeWait p = s.pending;
        if (p != null && p.kind == RealtimeWait.Kind.MESSAGE && matches(p, event, text)) {
            steps.succeed(s, answer(p, event, text), true);
            return;
        }
        if (s.kept.size() == RealtimeSteps.KEPT) {
            s.kept.pollFirst();
            steps.count(s, RealtimeEvent.DISCARDED);
        }
        s.kept.addLast(new String[] {event, text});
    }

    /**
     * What a step that took this message extracts from (null when it extracts nothing): a plain
     * message's text, or a Socket.IO event's arguments after its name ({@code text} is then the
     * event's whole JSON array).
     */
    static String answer(RealtimeWait p, String event, String text) {
        return !p.extracts ? null : event == null ? text : SocketIoPackets.arguments(text, 1);
    }

    static boolean matches(RealtimeWait p, String event, String payload) {
        if (p.action instanceof Realtime.SioOn on) {
            return on.event().equals(event);
        }
        Realtime.Match m = ((Realtime.WsReceive) p.action).match();
        if (event != null) {
            return false;
        }
        if (m.pointer() != null) {
            JsonNode n = SocketIoPackets.parse(payload);
            JsonNode at = n == null ? null : n.at(m.pointer());
            return at != null && !at.isMissingNode() && (at.isValueNode() ? at.asText() : at.toString()).equals(p.expected);
        }
        return m.contains() == null || payload.contains(p.expected);
    }

    /** A ping (or the handshake) came: the server is there until {@code heartbeatNanos} from now. */
    private void heard(RealtimeSession s) {
        long now = core.now();
        s.pingDeadline = now + s.heartbeatNanos;
        if (!s.pingCheckSet) {
            s.pingCheckSet = true;
            core.later(s.heartbeatNanos, () -> checkPing(s));
        }
    }

    private void checkPing(RealtimeSession s) {
        s.pingCheckSet = false;
        if (s.ended) {
            return;
        }
        long now = core.now();
        if (now >= s.pingDeadline) {
            steps.lost(s, "no Engine.IO ping from the server for " + s.heartbeatNanos / 1_000_000
                    + " ms (its pingInterval + pingTimeout)", ErrorKind.DISCONNECT);
        } else {
            s.pingCheckSet = true;
            core.later(s.pingDeadline - now, () -> checkPing(s));
        }
    }
}
