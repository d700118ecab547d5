package dev.loadleak.demoserver;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;

/**
 * The built-in target's state: its knobs, the memory it leaks on purpose, and how a response is
 * delayed (on Vert.x timers, never blocking the event loop).
 */
@ApplicationScoped
public class TargetState {
    @Inject
    Vertx vertx;

    private volatile Behaviour behaviour = new Behaviour(TargetKnobs.NONE, System::nanoTime, 42);
    private final LeakStore leak = new LeakStore();
    /** Set once the process is a target ({@code loadleak target}, a test): routes outside JAX-RS answer only then. */
    private volatile boolean targeting;

    public void configure(TargetKnobs knobs) {
        behaviour = new Behaviour(knobs, System::nanoTime, 42);
        targeting = true;
    }

    /** Whether this process serves as the built-in target (not as {@code serve}, whose port it shares). */
    public boolean targeting() {
        return targeting;
    }

    public TargetKnobs knobs() {
        return behaviour.knobs();
    }

    public LeakStore leak() {
        return leak;
    }

    /**
     * An API response with every knob applied: failure, leak (on every route, or only on the
     * {@code --leak-route}), latency and stall. {@code route} is e.g. {@code POST /api/v1/media}.
     */
    public Uni<Response> api(String route, Supplier<Response> ok) {
        Behaviour b = behaviour;
        if (b.knobs().leakRoute() == null || b.knobs().leakRoute().equalsIgnoreCase(route)) {
            leak.retain((int) Math.min(Integer.MAX_VALUE - 16, b.knobs().leakBytes()));
        }
        Response r = b.nextFails()
                ? Response.status(500).type(MediaType.APPLICATION_JSON)
                        .entity("{\"error\":\"injected failure (--error-rate)\"}").build()
                : ok.get();
        return delayed(r, b.latencyNanos() + b.stallDelayNanos());
    }

    /** A response held only by a stall (health, metrics): the whole server stops answering. */
    public Uni<Response> plain(Supplier<Response> ok) {
        return delayed(ok.get(), behaviour.stallDelayNanos());
    }

    private Uni<Response> delayed(Response r, long delayNanos) {
        long millis = Math.round(delayNanos / 1e6);
        if (millis <= 0) {
            return Uni.createFrom().item(r);
        }
        return Uni.createFrom().emitter(em -> vertx.setTimer(millis, id -> em.complete(r)));
    }
}
