package dev.loadleak.run;

import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.ResultSink;
import dev.loadleak.engine.StripedEngine;
import dev.loadleak.engine.TransportFactory;
import dev.loadleak.result.Shard;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBuilder;
import io.vertx.core.impl.transports.EpollTransport;
import org.jboss.logging.Logger;

/**
 * Makes a run's engine: picks the Vert.x it sends on, and closes it after the run when it is its own.
 *
 * <p>The application's Vert.x when it runs on Netty's epoll transport (the JVM). Else — the native
 * executable's application Vert.x is on NIO (Quarkus substitutes Vert.x's native-transport lookup
 * in native images), whose timers have millisecond granularity — an own one on epoll when Netty's
 * native library loads, with one event loop per engine stripe. NIO otherwise (the summary says which).
 */
final class EngineRuntime implements AutoCloseable {
    private final Vertx app;
    private final Vertx engineVertx;
    private final TransportFactory transports;

    EngineRuntime(Vertx app, int loops, TransportFactory transports) {
        this.app = app;
        this.transports = transports;
        this.engineVertx = engineVertx(app, loops);
    }

    StripedEngine engine(Scenario scenario, ResultSink sink, int loops, Shard shard) {
        return engine(scenario, null, sink, loops, shard, Clock.SYSTEM);
    }

    /**
     * An engine whose time is {@code clock}, the run's own, so that its sessions and its schedule agree; its users
     * read {@code shared}, the values the run's setup extracted (null without).
     */
    StripedEngine engine(Scenario scenario, String[] shared, ResultSink sink, int loops, Shard shard, Clock clock) {
        return new StripedEngine(engineVertx, clock, k -> EnginePlan.of(scenario, 1, shared), sink, loops, shard,
                transports);
    }

    private static Vertx engineVertx(Vertx app, int loops) {
        if (app.isNativeTransportEnabled()) {
            return app;
        }
        Throwable why;
        try {
            why = io.netty.channel.epoll.Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            why = e;
        }
        if (why == null) {
            // the epoll transport named explicitly: Quarkus' native image substitutes Vert.x's own lookup with NIO
            Vertx own = new VertxBuilder(new VertxOptions().setPreferNativeTransport(true)
                    .setEventLoopPoolSize(Math.max(1, loops)).setWorkerPoolSize(1).setInternalBlockingPoolSize(1))
                    .findTransport(new EpollTransport()).init().vertx();
            if (own.isNativeTransportEnabled()) {
                return own;
            }
            why = own.unavailableNativeTransportCause();
            own.close();
        }
        Logger.getLogger(EngineRuntime.class).debugf(why, "Netty's epoll transport is not in use: %s", why);
        return app;
    }

    @Override
    public void close() {
        if (engineVertx != app) {
            engineVertx.close();
        }
    }
}
