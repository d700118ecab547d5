package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.client.Clients;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A misbehaving server on 127.0.0.1 (raw sockets), one behaviour at a time: each run of 1 s at
 * 20 req/s with a 1 s timeout must end within its duration plus the timeout (plus slack), and
 * classify what went wrong. Figures are printed for the notes.
 */
public class HostileTargetsTest {
    public enum Behaviour { SILENT, RESET_MID_RESPONSE, GARBAGE, STATUS_LINE_ONLY, HUGE_HEADERS, ENDLESS_BODY, DRIP, CONNECTION_CLOSE,
        REDIRECT_LOOP }

    private static Vertx vertx;
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-server");
        t.setDaemon(true);
        return t;
    });

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
        POOL.shutdownNow();
    }

    /** Serves {@code b} on a free port until the socket is closed. */
    public static ServerSocket serve(Behaviour b) throws IOException {
        ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        POOL.submit(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException closed) {
                    return;
                }
                POOL.submit(() -> handle(b, s));
            }
        });
        return server;
    }

    private static void handle(Behaviour b, Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            while (readRequestHead(in)) {
                switch (b) {
                    // the server's own pacing (not the test waiting): hold the connection without a word
                    case SILENT -> java.util.concurrent.locks.LockSupport.parkNanos(5_000_000_000L);
                    case RESET_MID_RESPONSE -> {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhalf".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        s.setSoLinger(true, 0);
                        return;
                    }
                    case GARBAGE -> {
                        out.write("\u0000\u00ff this is not HTTP at all \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        return;
                    }
                    case STATUS_LINE_ONLY -> {
                        out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        return;
                    }
                    case HUGE_HEADERS -> {
                        StringBuilder h = new StringBuilder("HTTP/1.1 200 OK\r\n");
                        for (int i = 0; i < 2000; i++) {
                            h.append("X-Padding-").append(i).append(": ").append("y".repeat(100)).append("\r\n");
                        }
                        out.write(h.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    case ENDLESS_BODY -> {
                        out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        byte[] chunk = ("10000\r\n" + "z".repeat(65536) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                        while (true) {
                            out.write(chunk);
                        }
                    }
                    case DRIP -> {
                        byte[] resp = "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n01234567890123456789"
                                .getBytes(StandardCharsets.US_ASCII);
                        for (byte x : resp) {
                            out.write(x);
                            out.flush();
                            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L); // one byte a second
                        }
                    }
                    case CONNECTION_CLOSE -> {
                        out.write("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        return;
                    }
                    default -> {
                        out.write("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // the client went away: fine for a hostile server
        }
    }

    /** Reads up to the blank line that ends a request head; false at end of stream. */
    private static boolean readRequestHead(InputStream in) throws IOException {
        int state = 0;
        int c;
        while ((c = in.read()) >= 0) {
            state = (c == '\r' || c == '\n') ? state + 1 : 0;
            if (state == 4) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @EnumSource(Behaviour.class)
    void runEndsAndClassifies(Behaviour b) throws Exception {
        try (ServerSocket server = serve(b)) {
            // an endless body must reach the 64 MB cap before the timeout, even on a loaded machine
            int timeout = b == Behaviour.ENDLESS_BODY ? 10 : 1;
            String yaml = "target: http://127.0.0.1:" + server.getLocalPort() + "\n"
                    + "defaults: {timeout: " + timeout + "s, maxConnections: 8}\n"
                    + "phases: [{duration: 1s, rate: 20/s}]\nrequests: [{path: /x}]\n";
            EnginePlan plan = EnginePlan.of(ScenarioLoader.parse("h.yaml", yaml));
            RunRecorder rec = new RunRecorder(1, 1, plan.lateBoundNanos());
            HttpEngine engine = new HttpEngine(vertx, Clock.SYSTEM, Clients.STANDARD, plan, rec);
            long t0 = System.nanoTime();
            var f = engine.start();
            Collector col = new Collector(rec, engine.startNanos(30_000_000_000L));
            EngineOutcome o = f.get(20, TimeUnit.SECONDS);
            double wall = (System.nanoTime() - t0) / 1e9;
            col.collect(System.nanoTime());
            Stats s = col.totals().overall(1);
            System.out.printf(Locale.ROOT, "%-18s completed in %.1f s (planned 1 s + 1 s timeout + warm-up): %d requests, "
                    + "%d ok, %d connections, errors %s%n", b, wall, s.requests(), s.successes(), o.connectionsOpened(),
                    s.errorsByKind());
            assertEquals(EngineOutcome.Status.COMPLETED, o.status());
            // duration + timeout + the bounded client warm-up (at most the timeout), plus slack
            assertTrue(wall < 1 + timeout + Math.min(timeout, 5) + 2, "ended in " + wall + " s");
            assertEquals(20, s.requests(), "every request is accounted for: " + s.errorsByKind());
            Map<String, Long> k = s.errorsByKind();
            switch (b) {
                case SILENT, DRIP -> assertEquals(20L, k.get("timeout"));
                case ENDLESS_BODY -> {
                    // 64 MB within the 1 s timeout, 8 at a time: on a busy machine some hit the timeout first
                    long capped = k.getOrDefault("body_too_large", 0L);
                    assertTrue(capped >= 5, k.toString());
                    assertEquals(20L, capped + k.getOrDefault("timeout", 0L), k.toString());
                }
                case CONNECTION_CLOSE -> {
                    assertEquals(0, s.errors(), k.toString());
                    assertTrue(o.connectionsOpened() >= 20, "a new connection per request: " + o.connectionsOpened());
                }
                case REDIRECT_LOOP -> assertEquals(0, s.errors(), "a 3xx is an answer, not followed");
                default -> assertEquals(20, s.errors(), k.toString());
            }
        }
    }
}
