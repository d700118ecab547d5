package dev.loadleak.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Chrome DevTools protocol session with a Node.js process started with
 * {@code --inspect=HOST:PORT}: the debugger's WebSocket URL from {@code http://HOST:PORT/json/list},
 * then commands and their answers over Vert.x's WebSocket client. Events are handed to one listener
 * (a heap snapshot's chunks). Nothing the target answers is printed: a snapshot holds its data.
 */
public final class DevTools implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A snapshot chunk or an answer is small, but a message may be large on a big heap: 64 MB at most. */
    private static final int MAX_MESSAGE = 64 << 20;

    private final WebSocketClient client;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private volatile Consumer<JsonNode> events = e -> { };
    private volatile String closed;

    private DevTools(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(this::message);
        socket.exceptionHandler(e -> end("the inspector connection failed: " + e.getMessage()));
        socket.closeHandler(v -> end("the inspector closed the connection"));
    }

    /** Why a command could not be carried out: no inspector, a closed connection, an error answer, a timeout. */
    public static final class DevToolsException extends Exception {
        public DevToolsException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Connects to the inspector at {@code host:port}. The WebSocket URL it lists must be on the same
     * host and port: loadleak never follows an inspector elsewhere.
     */
    public static DevTools connect(Vertx vertx, String host, int port, Duration timeout) throws DevToolsException {
        URI list = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/json/list");
        JdkHttp.Response r;
        try {
            r = JdkHttp.get(list, timeout, null, false, 1 << 20);
        } catch (IOException e) {
            throw new DevToolsException("no Node.js inspector at " + host + ":" + port + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); start the target with --inspect="
                    + host + ":" + port);
        }
        if (r.status() != 200) {
            throw new DevToolsException(list + " answered " + r.status() + ", not a Node.js inspector's target list");
        }
        URI ws = debuggerUrl(r.body(), host, port);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxMessageSize(MAX_MESSAGE).setMaxFrameSize(MAX_MESSAGE).setConnectTimeout((int) timeout.toMillis()));
        try {
            WebSocket socket = client.connect(new WebSocketConnectOptions().setHost(host).setPort(port)
                    .setURI(ws.getRawPath())).toCompletionStage().toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new DevTools(client, socket);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            Throwable c = e instanceof ExecutionException ? e.getCause() : e;
            throw new DevToolsException("cannot open the inspector's WebSocket at " + host + ":" + port + ": "
                    + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new DevToolsException("interrupted while connecting to the inspector");
        }
    }

    /** The first target's {@code webSocketDebuggerUrl} in a {@code /json/list} answer, checked to be on host:port. */
    static URI debuggerUrl(String listJson, String host, int port) throws DevToolsException {
        JsonNode list;
        try {
            list = JSON.readTree(listJson);
        } catch (IOException e) {
            throw new DevToolsException("the inspector's /json/list is not JSON");
        }
        for (JsonNode t : list) {
            String url = t.path("webSocketDebuggerUrl").asText("");
            if (url.isEmpty()) {
                continue;
            }
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                continue;
            }
            String h = u.getHost() == null ? "" : u.getHost().replace("[", "").replace("]", "");
            boolean sameHost = h.equalsIgnoreCase(host) || (h.equals("localhost") && host.equals("127.0.0.1"));
            if (!"ws".equals(u.getScheme()) || !sameHost || u.getPort() != port) {
                throw new DevToolsException("the inspector at " + host + ":" + port + " points to another address ("
                        + u.getScheme() + "://" + h + ":" + u.getPort() + "); loadleak does not follow it");
            }
            return u;
        }
        throw new DevToolsException("the inspector at " + host + ":" + port + " lists no debuggable target");
    }

    /** Receives the protocol's events (messages without an id) from now on, on a Vert.x thread. */
    public void onEvent(Consumer<JsonNode> listener) {
        events = listener == null ? e -> { } : listener;
    }

    /** Sends {@code method} with {@code params} (may be null) and waits for its result. */
    public JsonNode call(String method, Map<String, ?> params, Duration timeout) throws DevToolsException {
        String why = closed;
        if (why != null) {
            throw new DevToolsException(why);
        }
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null && !params.isEmpty()) {
            msg.set("params", JSON.valueToTree(params));
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.writeTextMessage(msg.toString());
        try {
            JsonNode a = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (a.has("error")) {
                throw new DevToolsException(method + " failed: " + a.path("error").path("message").asText("error"));
            }
            return a.path("result");
        } catch (ExecutionException e) {
            throw new DevToolsException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new DevToolsException(method + " had no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevToolsException("interrupted waiting for " + method);
        } finally {
            pending.remove(id);
        }
    }

    public boolean isOpen() {
        return closed == null;
    }

    private void message(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (IOException e) {
            return; // not the protocol: ignored
        }
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(m.path("id").asInt());
            if (f != null) {
                f.complete(m);
            }
        } else {
            events.accept(m);
        }
    }

    private void end(String why) {
        if (closed == null) {
            closed = why;
        }
        pending.values().forEach(f -> f.completeExceptionally(new DevToolsException(why)));
    }

    @Override
    public void close() {
        end("closed");
        socket.close();
        client.close();
    }
}
