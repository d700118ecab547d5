package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.client.Clients;
import io.netty.channel.epoll.Epoll;
import io.netty.incubator.channel.uring.IOUring;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxInternal;
import java.lang.reflect.Field;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --transport}: each choice gives the engine a Vert.x on that transport where the machine
 * allows it, and one refused falls back (epoll, then NIO) with a one-line note instead of failing.
 */
class IoTransportChoiceTest {
    private static Vertx app;

    @BeforeAll
    static void start() {
        app = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Vertx engineVertx(EngineRuntime r) throws ReflectiveOperationException {
        Field f = EngineRuntime.class.getDeclaredField("engineVertx");
        f.setAccessible(true);
        return (Vertx) f.get(r);
    }

    private static String transportOf(Vertx v) {
        return ((VertxInternal) v).transport().getClass().getSimpleName();
    }

    @Test
    void theWordsOfTheOption() {
        assertEquals(IoTransport.IO_URING, IoTransport.of("io_uring"));
        assertEquals(IoTransport.EPOLL, IoTransport.of(" EPOLL "));
        assertEquals(IoTransport.NIO, IoTransport.of("nio"));
        assertEquals(IoTransport.AUTO, IoTransport.of("auto"));
        assertNull(IoTransport.of("uring"));
        assertEquals("io_uring", IoTransport.IO_URING.word());
    }

    @Test
    void nioIsAlwaysThere() throws Exception {
        try (EngineRuntime r = new EngineRuntime(app, 1, Clients.STANDARD, IoTransport.NIO)) {
            assertFalse(engineVertx(r).isNativeTransportEnabled());
            assertNull(r.note());
        }
    }

    @Test
    void epollWhereItLoadsElseNioWithANote() throws Exception {
        try (EngineRuntime r = new EngineRuntime(app, 1, Clients.STANDARD, IoTransport.EPOLL)) {
            if (Epoll.isAvailable()) {
                assertTrue(engineVertx(r).isNativeTransportEnabled());
                assertFalse(EngineRuntime.ioUring(engineVertx(r)));
                assertNull(r.note());
            } else {
                assertFalse(engineVertx(r).isNativeTransportEnabled());
                assertTrue(r.note().startsWith("epoll refused"), r.note());
            }
        }
    }

    @Test
    void ioUringWhereTheKernelAllowsItElseEpollWithANote() throws Exception {
        try (EngineRuntime r = new EngineRuntime(app, 1, Clients.STANDARD, IoTransport.IO_URING)) {
            Vertx v = engineVertx(r);
            if (IOUring.isAvailable()) {
                assertTrue(EngineRuntime.ioUring(v), transportOf(v));
                assertNull(r.note());
            } else {
                assertFalse(EngineRuntime.ioUring(v));
                assertTrue(r.note().startsWith("io_uring refused ("), r.note());
                assertTrue(r.note().endsWith(" instead"), r.note());
                assertFalse(r.note().contains("\n"), "one line");
            }
        }
    }

    @Test
    void autoTakesTheFirstOfItsOrderThatWorks() throws Exception {
        try (EngineRuntime r = new EngineRuntime(app, 1, Clients.STANDARD, IoTransport.AUTO)) {
            boolean first = switch (IoTransport.AUTO.tries().get(0)) {
                case IO_URING -> IOUring.isAvailable() && EngineRuntime.ioUring(engineVertx(r));
                case EPOLL -> Epoll.isAvailable() && engineVertx(r).isNativeTransportEnabled()
                        && !EngineRuntime.ioUring(engineVertx(r));
                default -> true;
            };
            assertTrue(first || r.note() != null, "the first choice, or a note that says why not");
        }
    }
}
