package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.FlowCounts;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.scenario.ScenarioLoader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Flows on a virtual clock against a scripted transport: when each step is due, what its latency
 * counts from, what is extracted and sent back, and that every step and iteration is accounted for.
 */
class FlowSimulationTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000 * MS;

    /** What the engine reported, in order, as text; and the success events' times. */
    static final class Log implements ResultSink {
        final List<String> events = new ArrayList<>();
        final List<long[]> ok = new ArrayList<>();
        final ResultSink also;

        Log(ResultSink also) {
            this.also = also;
        }

        @Override
        public void onSend(int phase, int request, long intended, long sent, long bodyBytes) {
            events.add("send " + request + " @" + (sent - T0) / MS);
            also.onSend(phase, request, intended, sent, bodyBytes);
        }

        @Override
        public void onSuccess(int phase, int request, int status, long intended, long sent, long done, long interval) {
            events.add("ok " + request);
            ok.add(new long[] {request, (intended - T0) / MS, (sent - T0) / MS, (done - T0) / MS});
            also.onSuccess(phase, request, status, intended, sent, done, interval);
        }

        @Override
        public void onNotSent(int phase, int request, long intended, long now, String detail) {
            events.add("not-sent " + request);
            also.onNotSent(phase, request, intended, now, detail);
        }

        @Override
        public void onError(int phase, int request, ErrorKind kind, String detail, long intended, long sent, long done) {
            events.add(kind.label() + " " + request + ": " + detail);
            also.onError(phase, request, kind, detail, intended, sent, done);
        }

        @Override
        public void onIterationStart(int phase, int flow) {
            events.add("start " + flow);
            also.onIterationStart(phase, flow);
        }

        @Override
        public void onIterationEnd(int phase, int flow, IterationEnd how, long intended, long firstSent, long end) {
            events.add(how.name().toLowerCase() + " " + flow + " " + (end - intended) / MS + "ms");
            also.onIterationEnd(phase, flow, how, intended, firstSent, end);
        }

        @Override
        public void onSkipped(int phase, int request) {
            events.add("skipped " + request);
            also.onSkipped(phase, request);
        }

        @Override
        public void onRealtime(int phase, int flow, RealtimeEvent what) {
            also.onRealtime(phase, flow, what);
        }
    }

    static class Sim {
        final VirtualScheduler clock = new VirtualScheduler(T0);
        final ScriptedTransport transport = new ScriptedTransport();
        final EnginePlan plan;
        final RunRecorder recorder;
        final Log log;
        final CompletableFuture<EngineOutcome> done;

        Sim(String yaml) throws Exception {
            this(yaml, null);
        }

        /** With {@code sockets}, the WebSockets of its real-time steps. */
        Sim(String yaml, RealtimeSockets sockets) throws Exception {
            plan = EnginePlan.of(ScenarioLoader.parse("sim.yaml", "target: http://127.0.0.1:1\n" + yaml));
            recorder = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos(),
                    plan.flows().flows().size());
            log = new Log(recorder);
            HttpEngine engine = new HttpEngine(null, null, clock, transport.factory(), plan, log, 0, 1);
            if (sockets != null) {
                engine.useSockets(sockets);
            }
            done = engine.start();
            clock.runDue();
        }

        void at(long ms) {
            clock.advanceTo(T0 + ms * MS);
        }

        void answer(int i, int status, List<String> headers, String body) {
            transport.sent.get(i).response(status, headers, body);
        }

        /** The bytes the lean client would put on the wire for the {@code i}-th request sent. */
        String wire(int i) {
            Transport.InFlight x = transport.sent.get(i);
            ByteBuf b = x.request().wire(i, new SplittableRandom(1), UnpooledByteBufAllocator.DEFAULT, x.user(), null);
            try {
                return b.toString(StandardCharsets.UTF_8);
            } finally {
                b.release();
            }
        }

        FlowCounts.Snapshot counts() {
            Collector c = new Collector(recorder, T0);
            c.collect(clock.nanoTime());
            return c.totals().flows();
        }
    }

    @Test
    void theNextStepIsDueAtThePreviousEndPlusItsThinkTimeAndTimedFromThere() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows:
                  - name: f
                    steps:
                      - {name: a, path: /a, think: 100ms}
                      - {name: b, path: /b}
                """);
        assertEquals(1, sim.transport.sent.size(), "step a at once");
        sim.at(10);
        sim.answer(0, 200, null, null);
        sim.at(109);
        assertEquals(1, sim.transport.sent.size(), "b waits for a's end + 100 ms think");
        sim.at(110);
        assertEquals(2, sim.transport.sent.size(), "b leaves at 110 ms");
        sim.at(130);
        sim.answer(1, 200, null, null);
        assertEquals(3, sim.transport.sent.size(), "the iteration ended: the user goes again at once (no phase think)");
        assertEquals(List.of(0L, 0L, 0L, 10L), List.of(sim.log.ok.get(0)[0], sim.log.ok.get(0)[1], sim.log.ok.get(0)[2],
                sim.log.ok.get(0)[3]));
        assertEquals(110, sim.log.ok.get(1)[1], "b's latency counts from when it was due");
        assertTrue(sim.log.events.contains("completed 0 130ms"), sim.log.events.toString());
    }

    @Test
    void aStalledStepShowsInTheCorrectedLatencyOfTheNextWhenConnectionsAreBusy() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s, maxConnections: 1}
                phases: [{duration: 1s, concurrency: 2}]
                flows:
                  - name: f
                    steps:
                      - {name: a, path: /a}
                """);
        assertEquals(1, sim.transport.sent.size(), "one connection: the second user waits");
        sim.at(300);
        sim.answer(0, 200, null, null);
        assertEquals(2, sim.transport.sent.size());
        sim.at(310);
        sim.answer(1, 200, null, null);
        long[] second = sim.log.ok.get(1);
        assertEquals(0, second[1], "the second user's step was due at 0 ms");
        assertEquals(300, second[2], "and left at 300 ms: 310 ms corrected, 10 ms uncorrected");
    }

    @Test
    void aFailedStepEndsTheIterationAndItsRemainingStepsAreSkipped() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows:
                  - name: f
                    steps:
                      - {name: a, path: /a, expect: {status: 200}}
                      - {name: b, path: /b}
                      - {name: c, path: /c}
                """);
        sim.at(5);
        sim.answer(0, 403, null, null);
        assertEquals(List.of("start 0", "send 0 @0", "status_4xx 0: HTTP 403", "skipped 1", "skipped 2", "failed 0 5ms",
                "start 0", "send 0 @5"), sim.log.events);
        FlowCounts.Snapshot c = sim.counts();
        assertEquals(2, c.started(0, 0));
        assertEquals(1, c.ended(0, 0, IterationEnd.FAILED));
        assertEquals(1, c.skipped(0, 1));
        assertEquals(1, c.skipped(0, 2));
    }

    @Test
    void onErrorContinueSendsTheRemainingStepsAndTheIterationCountsAsFailed() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows:
                  - name: f
                    onError: continue
                    steps:
                      - {name: a, path: /a, expect: {status: 200}}
                      - {name: b, path: /b}
                """);
        sim.answer(0, 500, null, null);
        assertEquals(2, sim.transport.sent.size(), "b is sent anyway");
        sim.answer(1, 200, null, null);
        assertTrue(sim.log.events.contains("failed 0 0ms"), sim.log.events.toString());
        assertFalse(sim.log.events.stream().anyMatch(e -> e.startsWith("skipped")));
    }

    @Test
    void extractedValuesAndCookiesGoIntoLaterStepsAndAMissingOneFailsTheStep() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows:
                  - name: f
                    steps:
                      - name: login
                        path: /login
                        extract:
                          token: {json: /token}
                          loc: {header: Location, secret: false}
                      - name: use
                        path: /items${loc}
                        headers: {Authorization: "Bearer ${token}"}
                        extract:
                          missing: {json: /nope}
                      - {name: never, path: /x}
                """);
        assertFalse(sim.wire(0).contains("Cookie:"), "no cookie before the first answer");
        sim.answer(0, 200, List.of("Set-Cookie", "sid=s3cr3t-cookie; Path=/; HttpOnly", "Location", "/42"),
                "{\"token\":\"tok-SECRET-1\"}");
        String second = sim.wire(1);
        assertTrue(second.startsWith("GET /items/42 HTTP/1.1\r\n"), second);
        assertTrue(second.contains("Authorization: Bearer tok-SECRET-1\r\n"), second);
        assertTrue(second.contains("Cookie: sid=s3cr3t-cookie\r\n"), second);
        sim.answer(1, 200, null, "{\"token\":\"tok-SECRET-1\"}");
        assertTrue(sim.log.events.contains("assertion 1: extract missing: JSON pointer /nope found nothing"),
                sim.log.events.toString());
        assertTrue(sim.log.events.contains("skipped 2"));
        // the same user goes again, keeping its cookie (closed model)
        assertTrue(sim.wire(2).contains("Cookie: sid=s3cr3t-cookie\r\n"), sim.wire(2));
    }

    @Test
    void closedUsersOfARequestsScenarioKeepTheirCookieJar() throws Exception {
        // a requests: scenario is one-step flows: each closed user sends back what its answers set
        Sim sim = new Sim("""
                phases: [{duration: 1s, concurrency: 2}]
                requests:
                  - {name: cart, path: /api/cart, weight: 3}
                  - {name: other, path: /other}
                """);
        assertEquals(List.of("cart", "other"), sim.plan.flows().flows().stream().map(f -> f.name()).toList());
        assertEquals(2, sim.transport.sent.size(), "two users, one request each");
        assertFalse(sim.wire(0).contains("Cookie:"), sim.wire(0));
        sim.answer(0, 200, List.of("Set-Cookie", "connect.sid=user-one; Path=/; HttpOnly"), "{}");
        sim.answer(1, 200, List.of("Set-Cookie", "connect.sid=user-two; Path=/; HttpOnly"), "{}");
        // each user goes again as soon as it is answered, with its own cookie
        assertTrue(sim.wire(2).contains("Cookie: connect.sid=user-one\r\n"), sim.wire(2));
        assertTrue(sim.wire(3).contains("Cookie: connect.sid=user-two\r\n"), sim.wire(3));
        // requests keep their own names and indexes
        assertEquals(List.of("cart", "other"), sim.plan.requests().stream().map(r -> r.name()).toList());
    }

    @Test
    void openArrivalsOfARequestsScenarioAreNewUsers() throws Exception {
        // there is one engine path: a request is a one-step flow, and each open-model arrival a new user
        Sim sim = new Sim("phases: [{duration: 20ms, rate: 100/s}]\nrequests: [{name: home, path: /}]\n");
        assertEquals(List.of("home"), sim.plan.flows().flows().stream().map(f -> f.name()).toList());
        sim.answer(0, 200, List.of("Set-Cookie", "sid=one; Path=/"), "{}");
        sim.at(10);
        assertEquals(2, sim.transport.sent.size());
        assertFalse(sim.wire(1).contains("Cookie:"), sim.wire(1));
        assertTrue(sim.log.events.contains("ok 0"), sim.log.events.toString());
    }

    @Test
    void maxRateUsersOfARequestsScenarioKeepTheirJarUnlessDefaultsTurnCookiesOff() throws Exception {
        String yaml = "phases: [{duration: 1s, max: true}]\nrequests: [{path: /}]\ndefaults: {maxConnections: 1";
        Sim sim = new Sim(yaml + "}\n");
        assertEquals(1, sim.transport.sent.size(), "one connection, one user");
        sim.answer(0, 200, List.of("Set-Cookie", "sid=one; Path=/"), "{}");
        assertEquals(2, sim.transport.sent.size(), "the user goes again at once");
        assertTrue(sim.wire(1).contains("Cookie: sid=one\r\n"), sim.wire(1));
        Sim off = new Sim(yaml + ", cookies: false}\n");
        off.answer(0, 200, List.of("Set-Cookie", "sid=one; Path=/"), "{}");
        assertEquals(2, off.transport.sent.size());
        assertFalse(off.wire(1).contains("Cookie:"), off.wire(1));
    }

    @Test
    void openModelArrivalsAreNewUsersAndIterationsPausingAtTheEndAreAborted() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 50ms, rate: 100/s}]
                flows:
                  - name: f
                    steps:
                      - {name: login, path: /login, think: 1s}
                      - {name: next, path: /next}
                """);
        for (int t = 0; t <= 50; t += 10) {
            sim.at(t);
            sim.transport.answerAll(200);
        }
        // each arrival answered at once with a cookie would be a new user: no cookie carried over
        sim.at(60);
        assertEquals(5, sim.transport.sent.size(), "5 arrivals in 50 ms, each sent its first step only");
        EngineOutcome o = sim.done.get(0, TimeUnit.SECONDS);
        assertEquals(EngineOutcome.Status.COMPLETED, o.status());
        FlowCounts.Snapshot c = sim.counts();
        assertEquals(5, c.started(0, 0));
        assertEquals(5, c.ended(0, 0, IterationEnd.ABORTED), "still thinking at the run's end");
        assertEquals(5, c.skipped(0, 1));
        assertEquals(0, c.ended(0, 0, IterationEnd.COMPLETED));
    }

    @Test
    void anOpenModelUserStartsWithAnEmptyJar() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 20ms, rate: 100/s}]
                flows: [{name: f, steps: [{path: /a}]}]
                """);
        sim.answer(0, 200, List.of("Set-Cookie", "sid=one"), null);
        sim.at(10);
        assertEquals(2, sim.transport.sent.size());
        assertFalse(sim.wire(1).contains("Cookie:"), sim.wire(1));
    }

    @Test
    void resetEachIterationGivesAClosedUserAFreshJar() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows: [{name: f, resetEachIteration: true, steps: [{path: /a}]}]
                """);
        sim.answer(0, 200, List.of("Set-Cookie", "sid=one"), null);
        assertFalse(sim.wire(1).contains("Cookie:"), sim.wire(1));
        Sim keep = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows: [{name: f, steps: [{path: /a}]}]
                """);
        keep.answer(0, 200, List.of("Set-Cookie", "sid=one"), null);
        assertTrue(keep.wire(1).contains("Cookie: sid=one\r\n"), keep.wire(1));
        Sim off = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows: [{name: f, cookies: false, steps: [{path: /a}]}]
                """);
        off.answer(0, 200, List.of("Set-Cookie", "sid=one"), null);
        assertFalse(off.wire(1).contains("Cookie:"), "cookies: false");
    }

    @Test
    void aTransportErrorMessageNeverCarriesAnExtractedSecret() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows:
                  - name: f
                    steps:
                      - {name: a, path: /a, extract: {t: {json: /t}}}
                      - {name: b, path: "/b/${t}"}
                """);
        sim.answer(0, 200, null, "{\"t\":\"SECRET-VALUE-77\"}");
        sim.transport.sent.get(1).fail(new java.io.IOException("connection reset while sending /b/SECRET-VALUE-77"));
        String all = String.join("\n", sim.log.events);
        assertFalse(all.contains("SECRET-VALUE-77"), all);
        assertTrue(all.contains("/b/***"), all);
    }

    @Test
    void whenTheRunEndsEveryIterationIsAccountedFor() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 100ms, concurrency: 3}]
                flows:
                  - name: f
                    steps:
                      - {name: a, path: /a, think: 7ms}
                      - {name: b, path: /b, think: 3ms}
                      - {name: c, path: /c}
                """);
        for (int t = 1; t <= 200; t++) {
            sim.at(t);
            if (t % 4 == 0) {
                sim.transport.answerAll(200);
            }
        }
        sim.transport.answerAll(200);
        sim.at(300);
        assertTrue(sim.done.isDone());
        FlowCounts.Snapshot c = sim.counts();
        long ended = c.ended(0, 0, IterationEnd.COMPLETED) + c.ended(0, 0, IterationEnd.FAILED)
                + c.ended(0, 0, IterationEnd.ABORTED);
        assertEquals(c.started(0, 0), ended, "every iteration started ended once");
        assertTrue(c.ended(0, 0, IterationEnd.COMPLETED) > 10);
        long sentA = sim.log.events.stream().filter(e -> e.startsWith("send 0 ")).count();
        long sentB = sim.log.events.stream().filter(e -> e.startsWith("send 1 ")).count();
        long sentC = sim.log.events.stream().filter(e -> e.startsWith("send 2 ")).count();
        assertEquals(c.started(0, 0), sentA + c.skipped(0, 0), "each iteration sent or skipped step a");
        assertEquals(c.started(0, 0), sentB + c.skipped(0, 1), "… step b");
        assertEquals(c.started(0, 0), sentC + c.skipped(0, 2), "… step c");
    }

    @Test
    void anArrivalThatCouldNotBeSentInTimeIsNeverSentLater() throws Exception {
        // one connection, an answer that never comes: arrivals wait, and those that wait past the
        // timeout are reported not sent; none of them may leave afterwards
        Sim sim = new Sim("""
                defaults: {timeout: 30ms, maxConnections: 1}
                phases: [{duration: 100ms, rate: 100/s}]
                flows: [{name: f, steps: [{name: a, path: /a}]}]
                """);
        for (int t = 1; t <= 250; t++) {
            sim.at(t);
        }
        long sent = sim.log.events.stream().filter(e -> e.startsWith("send ")).count();
        long notSent = sim.log.events.stream().filter(e -> e.startsWith("not-sent ")).count();
        FlowCounts.Snapshot c = sim.counts();
        assertTrue(notSent > 0, sim.log.events.toString());
        assertEquals(c.started(0, 0), sent + notSent, "each arrival sent once or reported not sent, never both");
        long ended = 0;
        for (IterationEnd how : IterationEnd.values()) {
            ended += c.ended(0, 0, how);
        }
        assertEquals(c.started(0, 0), ended);
    }
}
