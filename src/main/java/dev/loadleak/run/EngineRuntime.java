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
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.transports.EpollTransport;
import io.vertx.core.spi.transport.Transport;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Makes a run's engine: picks the Vert.x it sends on, and closes it after the run when it is its own.
 *
 * <p>The I/O transport is {@code --transport}'s ({@link IoTransport}): {@code auto} tries
 * {@link IoTransport#tries()} in turn, as one asked for by name falls back to epoll, then NIO, when it is
 * refused (io_uring often is, in containers), and {@link #note()} says so in one line. The application's
 * Vert.x serves when it already runs the transport chosen (the JVM on epoll); else an own one, with one event
 * loop per engine stripe. The native executable's application Vert.x is on NIO (Quarkus substitutes Vert.x's
 * native-transport lookup in native images), whose timers have millisecond granularity: there, too, epoll
 * is an own Vert.x named explicitly. io_uring ({@link IoUringTransport}) is made by name, and is not in the
 * native executable.
 */
final class EngineRuntime implements AutoCloseable {
    private final Vertx app;
    private final Vertx engineVertx;
    private final TransportFactory transports;
    private String note;

    EngineRuntime(Vertx app, int loops, TransportFactory transports, IoTransport io) {
        this.app = app;
        this.transports = transports;
        this.engineVertx = engineVertx(loops, io);
    }

    /**
     * The event loops a run sends from: {@code asked} when it is 1 or more, else (the default) one per core, and
     * half the cores (at least one) when the target is on this machine ({@link #onThisMachine}), which needs them
     * to answer: a second loop on two cores shared with nginx's one worker measured 0.88 x the throughput and
     * 1.13 x the CPU per response of one.
     */
    static int loops(int asked, URI target, int cores) {
        if (asked > 0) {
            return asked;
        }
        return onThisMachine(target) ? Math.max(1, cores / 2) : Math.max(1, cores);
    }

    /** For the start line: "; " and why there are fewer loops than cores (the default's choice), else "". */
    static String loopsNote(int loops, int cores) {
        return loops >= cores ? "" : String.format(Locale.ROOT, "; %d event loop%s of %d cores (--event-loops)",
                loops, loops == 1 ? "" : "s", cores);
    }

    /** Whether {@code target}'s host is this machine: localhost, or a loopback address written out (no lookup). */
    static boolean onThisMachine(URI target) {
        String host = target == null ? null : target.getHost();
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost") || host.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return true;
        }
        boolean literal = host.matches("[0-9.]+") || host.startsWith("[") || host.indexOf(':') >= 0;
        try {
            return literal && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Why the transport asked for is not the one in use, in one line; null when it is. */
    String note() {
        return note;
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

    private Vertx engineVertx(int loops, IoTransport io) {
        List<IoTransport> order = io.tries();
        List<String> refused = new ArrayList<>();
        for (IoTransport t : order) {
            Vertx v = t == IoTransport.NIO ? nio(loops) : nativeOn(t, loops, refused);
            if (v != null) {
                if (t != order.get(0)) {
                    note = String.join("; ", refused) + ": " + t.word() + " instead";
                    Logger.getLogger(EngineRuntime.class).debug(note);
                }
                return v;
            }
        }
        throw new IllegalStateException("no I/O transport"); // NIO is always there
    }

    /** The application's Vert.x when it runs {@code t} already, else an own one on it; null (and why) if refused. */
    private Vertx nativeOn(IoTransport t, int loops, List<String> refused) {
        boolean uring = t == IoTransport.IO_URING;
        if (app.isNativeTransportEnabled() && uring == ioUring(app)) {
            return app;
        }
        Transport transport;
        try {
            // the name is read at run time, so that the native image's analysis does not pull Netty's io_uring
            // incubator (its JNI library is not configured there): the native executable says it is not in the build
            String name = System.getProperty("loadleak.io-uring", IoUringTransport.class.getName());
            transport = uring ? (Transport) Class.forName(name).getDeclaredConstructor().newInstance()
                    : new EpollTransport();
            Throwable why = transport.unavailabilityCause();
            if (why != null) {
                refused.add(t.word() + " refused (" + oneLine(why) + ")");
                return null;
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            refused.add(t.word() + (uring ? " is not in this build" : " refused") + " (" + oneLine(e) + ")");
            return null;
        }
        Vertx own = new VertxBuilder(options(loops, true)).findTransport(transport).init().vertx();
        if (own.isNativeTransportEnabled()) {
            return own;
        }
        refused.add(t.word() + " refused (" + oneLine(own.unavailableNativeTransportCause()) + ")");
        own.close();
        return null;
    }

    private Vertx nio(int loops) {
        return app.isNativeTransportEnabled() ? Vertx.vertx(options(loops, false)) : app;
    }

    private static VertxOptions options(int loops, boolean preferNative) {
        return new VertxOptions().setPreferNativeTransport(preferNative).setEventLoopPoolSize(Math.max(1, loops))
                .setWorkerPoolSize(1).setInternalBlockingPoolSize(1);
    }

    /** Whether {@code vertx} runs io_uring (else epoll, when native). */
    static boolean ioUring(Vertx vertx) {
        return ((VertxInternal) vertx).transport() instanceof IoUringTransport;
    }

    private static String oneLine(Throwable t) {
        String m = t == null ? "no reason given" : t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        if (engineVertx != app) {
            engineVertx.close();
        }
    }
}
