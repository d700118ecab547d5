package dev.loadleak.engine.http1;

import dev.loadleak.engine.PreparedRequest;
import dev.loadleak.engine.Transport;
import java.util.concurrent.CompletableFuture;

/** The warm-up request: its answer, whatever it is, only ends the warm-up. */
final class WarmUpExchange implements Transport.InFlight {
    private final CompletableFuture<Void> done;
    private Object handle;

    WarmUpExchange(CompletableFuture<Void> done) {
        this.done = done;
    }

    @Override
    public PreparedRequest request() {
        return null;
    }

    @Override
    public void response(int status, java.util.List<String> headers, String body) {
        done.complete(null);
    }

    @Override
    public void fail(Throwable t) {
        done.complete(null);
    }

    @Override
    public void tooLarge(String why) {
        done.complete(null);
    }

    @Override
    public Object handle() {
        return handle;
    }

    @Override
    public void handle(Object h) {
        this.handle = h;
    }
}
