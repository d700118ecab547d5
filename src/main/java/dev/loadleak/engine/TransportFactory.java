package dev.loadleak.engine;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Makes a stripe's {@link Transport} on the stripe's thread, when the engine begins. A factory that
 * throws fails the run at start-up: the engine's futures then complete exceptionally, and nothing waits
 * for ever. Tests give the engine a fake transport through it.
 */
@FunctionalInterface
public interface TransportFactory {
    /** The lean client when it can carry every request, else Vert.x's HttpClient. */
    TransportFactory STANDARD = Transport::forPlan;

    Transport create(Vertx vertx, Context context, EnginePlan plan, PreparedRequest[] prepared, int maxConnections,
                     int timeoutMillis);
}
