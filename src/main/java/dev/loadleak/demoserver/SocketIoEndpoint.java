package dev.loadleak.demoserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small Socket.IO v4 server on the built-in target (Engine.IO 4 over WebSocket only, as
 * MediaNest's clients use it), so that {@code demo} and the tests show real-time steps without Node:
 * namespace {@code /media}, joined with a bearer token of {@code POST /api/v1/auth/login} as
 * {@code auth.token} (else {@code connect_error} "unauthorized"); {@code ping-media} acked with
 * {@code {pong: N}}; {@code media-update} to every joined socket each second; Engine.IO pings every
 * {@value #PING_INTERVAL_MS} ms, and a socket that missed its pong by the next round is closed.
 * With {@code --leak-per-connection} each join keeps that many bytes for ever. Serves only when
 * the process is the target ({@link TargetState#targeting()}), never on {@code serve}'s port.
 *
 * <p>Known cost: Quarkus's graceful shutdown counts an upgraded request as in flight for ever (its
 * response never ends), so after Socket.IO use the target's exit waits {@code quarkus.shutdown.timeout}
 * (3 s) and logs that it timed out.
 */
@ApplicationScoped
public class SocketIoEndpoint {
    static final long PING_INTERVAL_MS = 25_000;
    static final long PING_TIMEOUT_MS = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TargetState state;
    @Inject
    Sessions sessions;
    @Inject
    Vertx vertx;

    private final Set<Conn> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong joins = new AtomicLong();
    private volatile boolean timers;

    /** One Engine.IO session. */
    private static final class Conn {
        final ServerWebSocket ws;
        volatile boolean joined;
        volatile boolean awaitingPong;

        Conn(ServerWebSocket ws) {
            this.ws = ws;
        }
    }

    void install(@Observes Router router) {
        router.route("/socket.io/").handler(rc -> {
            if (!state.targeting()) {
                rc.next(); // not a target: as if the route did not exist
                return;
            }
            if (!"websocket".equals(rc.request().getParam("transport")) || !"4".equals(rc.request().getParam("EIO"))) {
                rc.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                        .end("{\"code\":0,\"message\":\"Transport unknown: this server speaks EIO=4 over websocket\"}");
                return;
            }
            startTimers();
            rc.request().toWebSocket().onSuccess(this::opened).onFailure(t -> { });
        });
    }

    private void startTimers() {
        if (timers) {
            return;
        }
        synchronized (this) {
            if (timers) {
                return;
            }
            timers = true;
            vertx.setPeriodic(1000, id -> updates());
            vertx.setPeriodic(PING_INTERVAL_MS, id -> pings());
        }
    }

    private void opened(ServerWebSocket ws) {
        Conn c = new Conn(ws);
        open.add(c);
        ws.closeHandler(v -> open.remove(c));
        ws.exceptionHandler(t -> open.remove(c));
        ws.textMessageHandler(text -> packet(c, text));
        ws.writeTextMessage("0{\"sid\":\"" + UUID.randomUUID() + "\",\"upgrades\":[],\"pingInterval\":"
                + PING_INTERVAL_MS + ",\"pingTimeout\":" + PING_TIMEOUT_MS + ",\"maxPayload\":1000000}");
    }

    private void packet(Conn c, String text) {
        if (text.equals("3")) {
            c.awaitingPong = false;
        } else if (text.startsWith("40")) {
            join(c, text);
        } else if (text.startsWith("41/media")) {
            c.joined = false;
        } else if (text.startsWith("42/media,")) {
            event(c, text.substring("42/media,".length()));
        } else if (text.startsWith("1")) {
            c.ws.close();
        }
    }

    private void join(Conn c, String text) {
        if (!text.startsWith("40/media")) {
            int comma = text.indexOf(',');
            String ns = text.startsWith("40/") ? text.substring(2, comma < 0 ? text.length() : comma) + "," : "";
            c.ws.writeTextMessage("44" + ns + "{\"message\":\"Invalid namespace\"}");
            return;
        }
        String auth = text.length() > "40/media,".length() ? text.substring("40/media,".length()) : "";
        String token = null;
        try {
            JsonNode a = auth.isEmpty() ? null : JSON.readTree(auth);
            token = a == null ? null : a.path("token").asText(null);
        } catch (java.io.IOException e) {
            // no token
        }
        if (token == null || sessions.sessionOf(token) == null) {
            c.ws.writeTextMessage("44/media,{\"message\":\"unauthorized\"}");
            return;
        }
        c.joined = true;
        joins.incrementAndGet();
        long leak = state.knobs().leakPerConnection();
        if (leak > 0) {
            state.leak().retain((int) Math.min(Integer.MAX_VALUE - 16, leak));
        }
        c.ws.writeTextMessage("40/media,{\"sid\":\"" + UUID.randomUUID() + "\"}");
    }

    /** {@code [ID]["ping-media", data]}: acked with {@code [{"pong": N}]} when it asks for an ack. */
    private void event(Conn c, String rest) {
        int i = 0;
        while (i < rest.length() && Character.isDigit(rest.charAt(i))) {
            i++;
        }
        String id = rest.substring(0, i);
        if (!c.joined || !rest.startsWith("[\"ping-media\"", i)) {
            return;
        }
        long n = acks.incrementAndGet();
        if (!id.isEmpty()) {
            c.ws.writeTextMessage("43/media," + id + "[{\"pong\":" + n + "}]");
        }
    }

    private void updates() {
        if (open.isEmpty()) {
            return;
        }
        String update = "42/media,[\"media-update\",{\"at\":" + System.currentTimeMillis() + ",\"open\":" + open.size()
                + "}]";
        for (Conn c : open) {
            if (c.joined) {
                c.ws.writeTextMessage(update);
            }
        }
    }

    private void pings() {
        for (Conn c : open) {
            if (c.awaitingPong) {
                c.ws.close(); // no pong since the last round: the client has gone
            } else {
                c.awaitingPong = true;
                c.ws.writeTextMessage("2");
            }
        }
    }

    /** Sockets open now. */
    public int open() {
        return open.size();
    }

    /** {@code ping-media} events received (acked or not) since start. */
    public long acks() {
        return acks.get();
    }

    /** Namespace joins accepted since start. */
    public long joins() {
        return joins.get();
    }
}
