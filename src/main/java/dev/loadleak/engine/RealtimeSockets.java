package dev.loadleak.engine;

import java.net.URI;
import java.util.List;

/**
 * Opens the WebSocket connections of a stripe's real-time steps. Every callback comes on the
 * stripe's own thread, so the engine needs no locks; tests give the engine a fake that a
 * virtual clock drives ({@link HttpEngine#useSockets}).
 */
interface RealtimeSockets {
    /** One open (or opening) WebSocket. */
    interface Socket {
        /** Sends one text message. */
        void send(String text);

        /** Closes it (a close frame, then the TCP connection); no callback follows. */
        void close();
    }

    /** What happens on a socket; each method is called on the stripe's thread. */
    interface Listener {
        /** The upgrade succeeded. */
        void opened(Socket s);

        /** A whole text message arrived. */
        void text(String text);

        /** The connection ended (or could not be made): {@code why} in a few words; {@code handshake}: before it opened. */
        void closed(String why, boolean handshake);
    }

    /**
     * Opens {@code uri} (ws or wss), sending {@code headers} (name, value, name, value…) and the
     * {@code subprotocols} (may be empty) with the upgrade; the listener hears of it within
     * {@code timeoutMillis}.
     */
    Socket open(URI uri, List<String> headers, List<String> subprotocols, int timeoutMillis, Listener l);

    /** Closes every socket it opened that is still open. */
    void closeAll();
}
