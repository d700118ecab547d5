package dev.loadleak.engine;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Makes a stripe's {@link Transport} on the stripe's thread, when the engine begins. A factory that
 * throws fails the run at start-up: the engine's futures then complete exceptionally, and nothing waits
 * for ever. The run gives it {@code engine.client.Clients.STANDARD}; tests give it a fake transport.
 */
@FunctionalInterface
public interface TransportFactory {
    Transport create(Vertx vertx, Context context, EnginePlan plan, PreparedRequest[] prepared, int maxConnections,
                     int timeoutMillis);
}
