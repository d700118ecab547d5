package dev.loadleak.engine;

import dev.loadleak.scenario.Realtime;
import java.util.ArrayDeque;

/**
 * One user's WebSocket or Socket.IO connection: its socket, whether it is open or ended (and
 * why), the step waiting on it, its Engine.IO heartbeat and the messages no step took yet. What
 * happens on its socket goes to its stripe's {@link RealtimeInbound}, on the stripe's thread.
 */
final class RealtimeSession implements RealtimeSockets.Listener {
    final RealtimeInbound inbound;
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
    RealtimeWait pending;
    /** Socket.IO: the namespace connect's packet (rendered at the connect step). */
    String connectPacket;
    long pingDeadline = Long.MAX_VALUE;
    /** Engine.IO: pingInterval + pingTimeout, from its handshake. */
    long heartbeatNanos;
    boolean pingCheckSet;
    int nextAck;
    /** Messages no receive or on step took yet, oldest first: {event (null for plain WebSocket), text}. */
    final ArrayDeque<String[]> kept = new ArrayDeque<>();

    RealtimeSession(RealtimeInbound inbound, VirtualUser user, Realtime.Protocol protocol, String key, String namespace) {
        this.inbound = inbound;
        this.user = user;
        this.protocol = protocol;
        this.key = key;
        this.namespace = namespace;
        this.nsPrefix = namespace == null || namespace.equals("/") ? "" : namespace + ",";
    }

    @Override
    public void opened(RealtimeSockets.Socket s) {
        if (!ended) {
            inbound.opened(this);
        }
    }

    @Override
    public void text(String text) {
        if (!ended && !text.isEmpty()) {
            inbound.text(this, text);
        }
    }

    @Override
    public void closed(String why, boolean handshake) {
        inbound.closed(this, why, handshake);
    }
}
