package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.demoserver.TargetKnobs;
import dev.loadleak.demoserver.TargetState;
import dev.loadleak.metrics.FlowCounts;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.Stats;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flows against the in-process built-in target's CSRF, login, session and media routes, over the
 * real clients: exact counts per step, a wrong CSRF token, an open model through stalls.
 */
@QuarkusTest
class FlowsEndToEndTest {
    private static final String LOGIN_FLOW = """
            flows:
              - name: media
                steps:
                  - name: csrf
                    path: /api/v1/csrf/token
                    expect: {status: 200}
                    extract: {csrf: {json: /token}}
                  - name: login
                    method: POST
                    path: /api/v1/auth/login
                    headers: {X-CSRF-Token: "%s"}
                    body: {username: demo}
                    expect: {status: 200}
                    extract: {jwt: {json: /token}}
                  - name: session
                    path: /api/v1/auth/session
                    headers: {Authorization: "Bearer ${jwt}"}
                    expect: {status: 200}
                  - name: create
                    method: POST
                    path: /api/v1/media
                    body: {title: x}
                    expect: {status: 201}
                    extract: {id: {json: /id, secret: false}}
                  - name: read
                    path: /api/v1/media/${id}
                    expect: {status: 200, bodyContains: '"id"'}
                  - name: delete
                    method: DELETE
                    path: /api/v1/media/${id}
                    expect: {status: 204}
            """;

    @TestHTTPResource("/")
    URI base;
    @Inject
    Vertx vertx;
    @Inject
    TargetState state;
    @Inject
    dev.loadleak.demoserver.SocketIoEndpoint socketIo;

    @AfterEach
    void reset() {
        state.configure(TargetKnobs.NONE);
    }

    private EngineRun run(String yaml) throws Exception {
        return EngineRun.of(vertx, base, yaml);
    }

    @Test
    void loginCreateReadDeleteWithExactCountsPerStep() throws Exception {
        EngineRun r = run("defaults: {maxConnections: 4}\nphases: [{duration: 2s, concurrency: 4}]\n"
                + LOGIN_FLOW.formatted("${csrf}"));
        FlowCounts.Snapshot f = r.flows();
        long completed = f.ended(0, 0, IterationEnd.COMPLETED);
        long aborted = f.ended(0, 0, IterationEnd.ABORTED);
        assertEquals(0, f.ended(0, 0, IterationEnd.FAILED), () -> java.util.Arrays.toString(r.totals().firstErrorDetail()));
        assertEquals(f.started(0, 0), completed + aborted);
        assertTrue(completed > 50, "completed " + completed);
        assertTrue(aborted <= 4, "at most one cut iteration per user: " + aborted);
        for (int step = 0; step < 6; step++) {
            Stats s = r.step(step);
            assertEquals(0, s.errors(), "step " + step + ": " + s.errorsByKind());
            // every started iteration either sent this step or skipped it
            assertEquals(f.started(0, 0), s.requests() + f.skipped(0, step), "step " + step);
        }
        assertEquals(completed, r.step(5).successes(), "each completed iteration deleted the item it created");
        Stats read = r.step(4);
        assertTrue(read.successes() >= completed, "every completed iteration read its own item back");
    }

    @Test
    void aWrongCsrfTokenIsA403ThatAbortsTheIterationAndSkipsTheRest() throws Exception {
        EngineRun r = run("defaults: {maxConnections: 2}\nphases: [{duration: 1s, concurrency: 2}]\n"
                + LOGIN_FLOW.formatted("not-the-token"));
        FlowCounts.Snapshot f = r.flows();
        Stats login = r.step(1);
        assertEquals(login.requests(), login.errors(), "every login is refused");
        assertEquals(login.errors(), login.errorsByKind().get("status_4xx"), login.errorsByKind().toString());
        assertEquals(login.errors(), f.ended(0, 0, IterationEnd.FAILED));
        for (int step = 2; step < 6; step++) {
            assertEquals(0, r.step(step).requests(), "step " + step + " never sent");
        }
        long started = f.started(0, 0);
        long aborted = f.ended(0, 0, IterationEnd.ABORTED);
        assertEquals(started, f.ended(0, 0, IterationEnd.FAILED) + aborted, () -> "started " + started + " failed "
                + f.ended(0, 0, IterationEnd.FAILED) + " aborted " + aborted + " completed "
                + f.ended(0, 0, IterationEnd.COMPLETED) + " csrf " + r.step(0).requests() + "/" + r.step(0).errors()
                + " login " + login.requests() + " skipped " + f.skipped(0, 0) + "," + f.skipped(0, 1) + ","
                + f.skipped(0, 2) + " outcome " + r.outcome());
        assertEquals(f.ended(0, 0, IterationEnd.FAILED) * 4 + aborted * 4, f.skipped(0, 2) + f.skipped(0, 3)
                + f.skipped(0, 4) + f.skipped(0, 5), "4 steps skipped per iteration");
        assertTrue(r.totals().firstErrorDetail()[ErrorKind.STATUS_4XX.ordinal()].contains("403"));
    }

    @Test
    void anOpenModelFlowThroughStallsCorrectsTheIterationDuration() throws Exception {
        // the target stops answering for 300 ms in every second: iterations due then wait
        state.configure(new TargetKnobs(0, 0, 0, 0, 300_000_000L, 1_000_000_000L, 500));
        EngineRun r = run("defaults: {maxConnections: 2, timeout: 5s}\nphases: [{duration: 2s, rate: 40/s}]\n"
                + "flows: [{name: two, steps: [{name: a, path: /api/v1/media/1}, {name: b, path: /api/v1/media/2}]}]\n");
        FlowCounts.Snapshot f = r.flows();
        assertEquals(0, f.ended(0, 0, IterationEnd.FAILED));
        long done = f.ended(0, 0, IterationEnd.COMPLETED);
        assertTrue(done >= 60, "completed " + done);
        long correctedMax = f.corrected(0, 0).getMaxValue();
        long uncorrectedP50 = f.uncorrected(0, 0).getValueAtPercentile(50);
        assertTrue(correctedMax >= 200_000, "an iteration due in a stall waits it out: max " + correctedMax + " µs");
        assertTrue(f.corrected(0, 0).getValueAtPercentile(99) >= f.uncorrected(0, 0).getValueAtPercentile(99),
                "corrected never below uncorrected");
        assertTrue(uncorrectedP50 < 100_000, "most iterations are quick: p50 " + uncorrectedP50 + " µs");
    }

    @Test
    void withoutTheSessionCookieEachLoginMakesASessionAndWithItTheUserKeepsOne() throws Exception {
        // the same user logs in again and again: with its cookie jar, it keeps one session
        EngineRun keep = run("defaults: {maxConnections: 1}\nphases: [{duration: 500ms, concurrency: 1}]\n" + """
                flows:
                  - name: relogin
                    steps:
                      - {name: csrf, path: /api/v1/csrf/token, extract: {csrf: {json: /token}}}
                      - {name: login, method: POST, path: /api/v1/auth/login, headers: {X-CSRF-Token: "${csrf}"},
                         body: {u: x}, expect: {status: 200}, extract: {jwt: {json: /token}}}
                      - {name: session, path: /api/v1/auth/session, headers: {Authorization: "Bearer ${jwt}"},
                         extract: {sessions: {json: /sessions, secret: false}}}
                """);
        assertTrue(keep.flows().ended(0, 0, IterationEnd.COMPLETED) > 5);
        assertEquals(0, keep.step(1).errors());
    }

    /**
     * The built-in target's Socket.IO endpoint: MediaNest's real-time flow (log in, join /media with
     * the bearer token as auth.token, ping with an ack, wait for an update, leave) with exact counts on
     * both sides, and {@code --leak-per-connection} keeping exactly its bytes per join.
     */
    @Test
    void theBuiltInSocketIoEndpointWithExactCountsAndItsLeakPerConnection() throws Exception {
        state.configure(new TargetKnobs(0, 0, 0, 0, 0, 0, 500, null, false, 20 * 1024));
        long leakedBefore = state.leak().retainedBytes();
        long joinsBefore = socketIo.joins();
        long acksBefore = socketIo.acks();
        EngineRun r = run("""
                defaults: {maxConnections: 4, timeout: 5s}
                phases: [{duration: 3s, concurrency: 4}]
                flows:
                  - name: live
                    steps:
                      - {name: csrf, path: /api/v1/csrf/token, extract: {csrf: {json: /token}}}
                      - name: login
                        method: POST
                        path: /api/v1/auth/login
                        headers: {X-CSRF-Token: "${csrf}"}
                        body: {username: demo}
                        extract: {jwt: {json: /token}}
                      - {name: join, socketio: {connect: /media, auth: {token: "${jwt}"}}}
                      - name: ping
                        socketio: {emit: ping-media, data: {n: 1}, ack: true}
                        extract: {pong: {json: /pong, secret: false}}
                      - {name: update, socketio: {on: media-update, timeout: 3s}}
                      - {name: leave, socketio: {disconnect: true}}
                """);
        FlowCounts.Snapshot f = r.flows();
        assertEquals(0, f.ended(0, 0, IterationEnd.FAILED), () -> java.util.Arrays.toString(r.totals().firstErrorDetail()));
        assertTrue(f.ended(0, 0, IterationEnd.COMPLETED) >= 4, "completed " + f.ended(0, 0, IterationEnd.COMPLETED));
        long joins = socketIo.joins() - joinsBefore;
        assertEquals(joins, r.step(2).successes(), "the target accepted exactly the joins loadleak counts");
        assertEquals(socketIo.acks() - acksBefore, r.step(3).successes(), "and acked exactly its pings");
        assertEquals(joins * 20 * 1024, state.leak().retainedBytes() - leakedBefore, "20 KB kept per join");
        assertEquals(r.step(2).successes(), f.realtime(0, 0, RealtimeEvent.OPENED));

        EngineRun refused = run("""
                phases: [{duration: 1s, concurrency: 1}]
                flows:
                  - name: live
                    steps:
                      - {name: join, socketio: {connect: /media, auth: {token: not-a-session}}}
                """);
        assertEquals(refused.step(0).requests(), refused.step(0).errorsByKind().get("connect_error"));
    }
}
