package dev.loadleak.engine;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/** A transport that sends nothing: it keeps each request, and the test answers it (or not) when it wants. */
public final class ScriptedTransport implements Transport {
    /** Every request handed to the transport, in send order. */
    public final List<Transport.InFlight> sent = new ArrayList<>();
    public final List<Transport.InFlight> aborted = new ArrayList<>();
    public boolean closed;
    private int answered;

    @Override
    public CompletableFuture<Void> warmUp(URI uri, int timeoutMillis) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public long send(InFlight x, long seq, SplittableRandom random) {
        sent.add(x);
        return 0;
    }

    @Override
    public void abort(InFlight x) {
        aborted.add(x);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public long connectionsOpened() {
        return 0;
    }

    @Override
    public String describe() {
        return "scripted";
    }

    /** Answers the {@code i}-th request sent with {@code status} (no body). */
    public void answer(int i, int status) {
        sent.get(i).response(status, null);
        answered = Math.max(answered, i + 1);
    }

    /** Answers every request sent and not answered yet with {@code status}, including those the answers cause. */
    public void answerAll(int status) {
        while (answered < sent.size()) {
            sent.get(answered++).response(status, null);
        }
    }

    /** A factory that always hands out this transport. */
    public TransportFactory factory() {
        return (vertx, context, plan, prepared, maxConnections, timeoutMillis) -> this;
    }

    /** A factory that throws, as a transport whose set-up fails (a TLS context, a bad address) would. */
    public static TransportFactory failing(String why) {
        return (vertx, context, plan, prepared, maxConnections, timeoutMillis) -> {
            throw new IllegalStateException(why);
        };
    }
}
