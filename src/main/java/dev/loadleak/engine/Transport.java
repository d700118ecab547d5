package dev.loadleak.engine;

import java.net.URI;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * How one engine stripe's requests reach the target: the lean HTTP/1.1 client
 * ({@code engine.http1}: HTTP/1.1, plain or TLS, on the target's origin, the fast path) or Vert.x's
 * HttpClient ({@code engine.vertx}: HTTP/2, redirects, other origins), as {@code engine.client}
 * chooses. Every method is called on
 * the stripe's event loop, and a transport calls its {@link InFlight}s back on that thread (the
 * lean client from Netty handlers, outside any Vert.x context).
 */
public interface Transport {
    /** One request in flight, as a transport sees it; each callback after the first is ignored. */
    interface InFlight {
        PreparedRequest request();

        /**
         * A whole response arrived; {@code body} is null unless the request needs it (an {@code expect}
         * or an extraction), {@code headers} (name, value, name, value…) null unless it keeps them.
         */
        void response(int status, java.util.List<String> headers, String body);

        default void response(int status, String body) {
            response(status, null, body);
        }

        /** The flow user that sends this request (its values and cookies), or null for the plain request path. */
        default VirtualUser user() {
            return null;
        }

        void fail(Throwable t);

        /** The response body went over {@link ClientSettings#MAX_RESPONSE_BYTES}. */
        void tooLarge(String why);

        /** Whatever the transport needs to find this request again (its connection, its stream). */
        Object handle();

        void handle(Object h);

        /**
         * The transport holds this request no more and will call it back no more (said once, after the
         * outcome it delivered), so its object may serve a later request. A transport that cannot be
         * sure of that never calls it; one that does must not touch the request afterwards.
         */
        default void released() {
        }
    }

    /**
     * Sends one GET to {@code uri} whose answer is ignored, so that first-use costs (class loading,
     * the first connection) do not land on the first scheduled requests; completes whatever happens.
     */
    CompletableFuture<Void> warmUp(URI uri, int timeoutMillis);

    /** Sends {@code x}'s request; returns the bytes of its body. */
    long send(InFlight x, long seq, SplittableRandom random);

    /** {@code x} timed out (already reported): stop waiting for its answer and free what it holds. */
    void abort(InFlight x);

    /** Closes every connection; no callback follows. */
    void close();

    long connectionsOpened();

    /** Connections open now, or -1 when this client does not say. Called on the stripe's thread. */
    default int openConnections() {
        return -1;
    }

    /** A few words for the summary, e.g. "lean HTTP/1.1 on epoll". */
    String describe();

    /** Why a body that was to be kept (for extraction and checks) was not. */
    static String keptBodyTooLarge(long max) {
        return "response body over " + max + " bytes, the most kept for extraction and checks (defaults.maxBody)";
    }
}
