package dev.loadleak.metrics;

import dev.loadleak.engine.Clock;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Node.js target seen through its inspector ({@code type: node}, {@code inspect: HOST:PORT}): the
 * V8 heap in use ({@code Runtime.getHeapUsage}) as a memory probe, forced collections
 * ({@code HeapProfiler.collectGarbage}) and heap snapshots streamed to a file. It connects when
 * first used and again after the target restarts; its own one-thread Vert.x keeps snapshot chunks
 * off the load's event loops.
 */
public final class NodeInspector implements ForcedGc, AutoCloseable {
    private static final Duration CALL = Duration.ofSeconds(10);
    private static final Duration GC = Duration.ofSeconds(60);
    private static final Duration SNAPSHOT = Duration.ofMinutes(10);

    private final String host;
    private final int port;
    private final Duration connectTimeout;
    private final Clock clock;
    private Vertx vertx;
    private DevTools session;

    /** {@code clock} times each collection's pause. */
    public NodeInspector(String host, int port, Duration connectTimeout, Clock clock) {
        this.host = host;
        this.port = port;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    public String address() {
        return host + ":" + port;
    }

    private synchronized DevTools session() throws MemoryProbe.ProbeException {
        if (session != null && session.isOpen()) {
            return session;
        }
        if (session != null) {
            session.close();
            session = null;
        }
        if (vertx == null) {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                    .setInternalBlockingPoolSize(1));
        }
        try {
            session = DevTools.connect(vertx, host, port, connectTimeout);
            return session;
        } catch (DevTools.DevToolsException e) {
            throw new MemoryProbe.ProbeException(e.getMessage());
        }
    }

    private JsonNode call(String method, Map<String, ?> params, Duration timeout) throws MemoryProbe.ProbeException {
        DevTools s = session();
        try {
            return s.call(method, params, timeout);
        } catch (DevTools.DevToolsException e) {
            throw new MemoryProbe.ProbeException(e.getMessage());
        }
    }

    /** The V8 heap in use, in bytes: a memory probe sampled like any other. */
    public MemoryProbe heapUsed() {
        return this::used;
    }

    private double used() throws MemoryProbe.ProbeException {
        JsonNode r = call("Runtime.getHeapUsage", null, CALL);
        if (!r.path("usedSize").isNumber()) {
            throw new MemoryProbe.ProbeException("Runtime.getHeapUsage gave no usedSize");
        }
        return r.path("usedSize").asDouble();
    }

    @Override
    public Reading collect() throws MemoryProbe.ProbeException {
        long t0 = clock.nanoTime();
        call("HeapProfiler.collectGarbage", null, GC);
        double pause = (clock.nanoTime() - t0) / 1e6;
        return new Reading(used(), pause);
    }

    @Override
    public String how() {
        return "HeapProfiler.collectGarbage through the inspector at " + address();
    }

    /**
     * Takes a heap snapshot (V8 collects first) and streams its chunks to {@code file}, returning
     * its size in bytes. The file holds the target's data (strings included): it is never printed.
     */
    public long snapshot(Path file) throws MemoryProbe.ProbeException {
        DevTools s = session();
        AtomicReference<IOException> failed = new AtomicReference<>();
        long[] written = {0};
        try (OutputStream out = Files.newOutputStream(file)) {
            s.onEvent(e -> {
                if (!"HeapProfiler.addHeapSnapshotChunk".equals(e.path("method").asText()) || failed.get() != null) {
                    return;
                }
                byte[] b = e.path("params").path("chunk").asText("").getBytes(StandardCharsets.UTF_8);
                try {
                    out.write(b);
                    written[0] += b.length;
                } catch (IOException x) {
                    failed.set(x);
                }
            });
            try {
                s.call("HeapProfiler.takeHeapSnapshot", Map.of("reportProgress", false), SNAPSHOT);
            } catch (DevTools.DevToolsException e) {
                throw new MemoryProbe.ProbeException("no heap snapshot: " + e.getMessage());
            } finally {
                s.onEvent(null);
            }
            if (failed.get() != null) {
                throw new MemoryProbe.ProbeException("cannot write " + file.getFileName() + ": " + failed.get().getMessage());
            }
        } catch (IOException e) {
            throw new MemoryProbe.ProbeException("cannot write " + file.getFileName() + ": " + e.getMessage());
        }
        return written[0]; // every chunk came before the answer, on the same connection's thread
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            session.close();
            session = null;
        }
        if (vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
