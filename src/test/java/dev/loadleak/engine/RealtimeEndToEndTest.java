package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.NodeService;
import dev.loadleak.metrics.FlowCounts;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.Stats;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code ws:} and {@code socketio:} steps over the real client against real servers from npm
 * (src/test/node/realtime-service: socket.io 4.8.1 and ws 8.18 on one Node process, loopback only;
 * installed by .ci/run with npm ci). Each run is bounded: 2-3 s of a few users.
 */
class RealtimeEndToEndTest {
    private static final Path SERVICE = Path.of("src/test/node/realtime-service").toAbsolutePath();
    private static NodeService node;
    private static URI base;
    private static Vertx vertx;

    @BeforeAll
    static void startService() throws Exception {
        Assumptions.assumeTrue(NodeService.installed(SERVICE, "socket.io"),
                "npm ci has not been run in " + SERVICE + " (.ci/run does it)");
        node = NodeService.start(SERVICE.resolve("server.js"), java.util.Map.of());
        base = node.base();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static EngineRun run(String yaml) throws Exception {
        return EngineRun.of(vertx, base, yaml);
    }

    private static JsonNode stats() throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(base.resolve("/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    private static final String MEDIA_FLOW = """
            flows:
              - name: media
                steps:
                  - name: join
                    socketio: {connect: /media, auth: {token: "%s"}}
                  - name: ping
                    socketio: {emit: ping-media, data: {n: "${seq}"}, ack: true}
                    extract: {pong: {json: /pong, secret: false}}
                  - name: update
                    socketio: {on: media-update, timeout: 2s}
                  - name: leave
                    socketio: {disconnect: true}
            """;

    @Test
    void socketIoJoinEmitWaitLeaveWithTheServersOwnAckCount() throws Exception {
        long acksBefore = stats().path("acks").asLong();
        EngineRun r = run("defaults: {timeout: 5s}\nphases: [{duration: 3s, concurrency: 8}]\n" + MEDIA_FLOW.formatted("good-token"));
        FlowCounts.Snapshot f = r.flows();
        long completed = f.ended(0, 0, IterationEnd.COMPLETED);
        assertEquals(0, f.ended(0, 0, IterationEnd.FAILED), r.errors());
        assertTrue(completed >= 16, "completed " + completed);
        for (int step = 0; step < 4; step++) {
            assertEquals(0, r.step(step).errors(), "step " + step + ": " + r.step(step).errorsByKind());
            assertEquals(f.started(0, 0), r.step(step).requests() + f.skipped(0, step), "step " + step);
        }
        long acks = stats().path("acks").asLong() - acksBefore;
        assertEquals(acks, r.step(1).successes(), "the server acked exactly the emits loadleak counts");
        assertEquals(r.step(0).successes(), r.realtime(RealtimeEvent.OPENED), "one connection per join");
        assertEquals(r.realtime(RealtimeEvent.OPENED), r.realtime(RealtimeEvent.CLOSED), "every connection closed");
        assertEquals(0, r.realtime(RealtimeEvent.LOST));
        assertTrue(r.realtime(RealtimeEvent.MESSAGE_RECEIVED) >= 2 * completed, "acks and updates received");
        // the join's latency covers the upgrade and the namespace's answer: well above zero, under the timeout
        assertTrue(r.step(0).latencyMicros().uncorrected().p50() > 0);
        assertTrue(r.step(2).latencyMicros().corrected().max() < 2_100_000, "an update comes every 200 ms");
    }

    /**
     * The refusal repeats the token (as careless servers do): an extracted token is a secret, and
     * it never reaches a counted error detail.
     */
    @Test
    void aWrongAuthTokenIsAConnectErrorThatSkipsTheRestOfTheIterationAndIsNeverPrinted() throws Exception {
        EngineRun r = run("phases: [{duration: 1s, concurrency: 2}]\n" + MEDIA_FLOW.formatted("${bad}").replace(
                "    steps:\n", "    steps:\n      - {name: token, path: /token, extract: {bad: {json: /token}}}\n"));
        FlowCounts.Snapshot f = r.flows();
        Stats join = r.step(1);
        assertTrue(join.requests() > 0);
        assertEquals(join.requests(), join.errors(), "every join is refused");
        assertEquals(join.errors(), join.errorsByKind().get("connect_error"), join.errorsByKind().toString());
        String detail = r.totals().firstErrorDetail()[ErrorKind.CONNECT_ERROR.ordinal()];
        assertTrue(detail.contains("unauthorized: no session for token ***"), detail);
        assertFalse(r.errors().contains("expired-"), "the token is redacted: " + r.errors());
        for (int step = 2; step < 5; step++) {
            assertEquals(0, r.step(step).requests(), "step " + step + " never sent");
        }
        assertEquals(f.started(0, 0), f.ended(0, 0, IterationEnd.FAILED) + f.ended(0, 0, IterationEnd.ABORTED));
    }

    @Test
    void aServerThatStopsPingingEndsTheWaitAsADisconnect() throws Exception {
        EngineRun r = run("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 2}]
                flows:
                  - name: mute
                    steps:
                      - {name: join, socketio: {connect: /media, path: /mute.io/}}
                      - {name: wait, socketio: {on: never-sent, timeout: 4s}}
                """);
        Stats wait = r.step(1);
        assertTrue(wait.errors() >= 2, "each user's wait failed: " + wait.errorsByKind());
        assertEquals(wait.errors(), wait.errorsByKind().get("disconnect"), wait.errorsByKind().toString());
        assertTrue(r.totals().firstErrorDetail()[ErrorKind.DISCONNECT.ordinal()].contains("no Engine.IO ping"), r.errors());
        // the 300 ms ping interval + 200 ms timeout ends the wait long before its own 4 s
        assertTrue(wait.latencyMicros() == null || wait.latencyMicros().uncorrected().max() < 3_000_000, "ended by the heartbeat");
        assertTrue(r.realtime(RealtimeEvent.LOST) >= 2);
    }

    @Test
    void plainWebSocketSendAndReceiveAMatchingReply() throws Exception {
        long before = stats().path("wsMessages").asLong();
        EngineRun r = run("""
                phases: [{duration: 2s, concurrency: 4}]
                flows:
                  - name: echo
                    steps:
                      - {name: open, ws: {connect: /ws, subprotocols: [echo]}}
                      - {name: ping, ws: {send: {type: ping, id: "${seq}"}}}
                      - name: pong
                        ws: {receive: {json: /type, equals: pong}, timeout: 2s}
                        extract: {id: {json: /id, secret: false}}
                      - {name: bye, ws: {close: true}}
                """);
        FlowCounts.Snapshot f = r.flows();
        assertEquals(0, f.ended(0, 0, IterationEnd.FAILED), r.errors());
        long completed = f.ended(0, 0, IterationEnd.COMPLETED);
        assertTrue(completed >= 8, "completed " + completed);
        long sent = stats().path("wsMessages").asLong() - before;
        assertEquals(sent, r.step(1).successes(), "the server received exactly the messages loadleak sent");
        assertEquals(r.realtime(RealtimeEvent.MESSAGE_SENT), r.step(1).successes());
        assertTrue(r.step(2).successes() >= completed, "each completed iteration got its pong");
        assertEquals(0, r.step(2).errors(), r.step(2).errorsByKind().toString());
    }
}
