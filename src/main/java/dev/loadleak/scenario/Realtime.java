package dev.loadleak.scenario;

import java.util.List;
import java.util.Map;

/**
 * A real-time step of a flow ({@code ws:} or {@code socketio:}): an action on the user's own
 * WebSocket connection, which stays open across the flow's steps (and, for closed users, across
 * iterations) until a {@code close}/{@code disconnect} step, a {@code resetEachIteration} or the end of the run.
 */
public sealed interface Realtime {
    /** Plain WebSocket text messages, or Socket.IO v4 (Engine.IO 4 over a WebSocket). */
    enum Protocol {
        WS("ws"), SOCKETIO("socketio");

        /** The step key, also the step's "method" in reports. */
        public final String key;

        Protocol(String key) {
            this.key = key;
        }
    }

    Protocol protocol();

    /** How long the step waits for what it expects (a connection, an ack, a message), in nanoseconds. */
    long timeoutNanos();

    /** A few words for reports, e.g. "connect /media" or "emit ping-media (ack)". */
    String describe();

    /**
     * Which message a wait accepts: any ({@code pointer} and {@code contains} null), one whose JSON
     * value at {@code pointer} equals {@code equals}, or one whose text contains {@code contains}.
     */
    record Match(String pointer, Template equals, Template contains) {
        public static final Match ANY = new Match(null, null, null);

        public String describe() {
            return pointer != null ? pointer + " = " + equals.source() : contains != null ? "containing "
                    + contains.source() : "any message";
        }
    }

    /** {@code ws: {connect: PATH, headers: …, subprotocols: […]}}: the path (with its query) is on the target. */
    record WsConnect(Template path, Map<String, Template> headers, List<String> subprotocols, long timeoutNanos)
            implements Realtime {
        public WsConnect {
            headers = Map.copyOf(headers);
            subprotocols = List.copyOf(subprotocols);
        }

        @Override
        public Protocol protocol() {
            return Protocol.WS;
        }

        @Override
        public String describe() {
            return "connect " + path.source();
        }
    }

    /** {@code ws: {send: TEXT}}: one text message (a JSON body is written as its text). */
    record WsSend(Template text, long timeoutNanos) implements Realtime {
        @Override
        public Protocol protocol() {
            return Protocol.WS;
        }

        @Override
        public String describe() {
            return "send";
        }
    }

    /** {@code ws: {receive: MATCH, timeout: 5s}}: waits for the next message that matches. */
    record WsReceive(Match match, long timeoutNanos) implements Realtime {
        @Override
        public Protocol protocol() {
            return Protocol.WS;
        }

        @Override
        public String describe() {
            return "receive " + match.describe();
        }
    }

    /** {@code ws: {close: true}} or {@code socketio: {disconnect: true}}. */
    record Close(Protocol protocol, long timeoutNanos) implements Realtime {
        @Override
        public String describe() {
            return protocol == Protocol.WS ? "close" : "disconnect";
        }
    }

    /**
     * {@code socketio: {connect: NAMESPACE, auth: {…}, query: {…}, path: /socket.io/, headers: …}}.
     *
     * @param auth  the namespace connect's auth payload as JSON text (may hold variables), or null
     * @param query the handshake's extra query ({@code a=1&b=2}, may hold variables), or null
     * @param path  the Engine.IO path on the target
     */
    record SioConnect(String namespace, Template auth, Template query, String path, Map<String, Template> headers,
                      long timeoutNanos) implements Realtime {
        public SioConnect {
            headers = Map.copyOf(headers);
        }

        @Override
        public Protocol protocol() {
            return Protocol.SOCKETIO;
        }

        @Override
        public String describe() {
            return "connect " + namespace;
        }
    }

    /**
     * {@code socketio: {emit: EVENT, data: …, ack: true}}: with {@code ack} the step lasts from the
     * emit to the server's ack, and its extractions read the ack's payload.
     *
     * @param data the event's argument as JSON text (may hold variables), or null for none
     */
    record SioEmit(String event, Template data, boolean ack, long timeoutNanos) implements Realtime {
        @Override
        public Protocol protocol() {
            return Protocol.SOCKETIO;
        }

        @Override
        public String describe() {
            return "emit " + event + (ack ? " (ack)" : "");
        }
    }

    /** {@code socketio: {on: EVENT, timeout: 2s}}: waits for the server to emit {@code event}. */
    record SioOn(String event, Match match, long timeoutNanos) implements Realtime {
        @Override
        public Protocol protocol() {
            return Protocol.SOCKETIO;
        }

        @Override
        public String describe() {
            return "on " + event;
        }
    }
}
