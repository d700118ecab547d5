package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.demoserver.TargetKnobs;
import dev.loadleak.demoserver.TargetState;
import dev.loadleak.engine.client.Clients;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.metrics.Totals;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closed, max-rate and ramp phases, expectations and variables against the in-process target. */
@QuarkusTest
class ModelsEndToEndTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    Vertx vertx;
    @Inject
    TargetState state;

    @AfterEach
    void reset() {
        state.configure(TargetKnobs.NONE);
    }

    private Totals run(String yaml, EngineOutcome[] outcome) throws Exception {
        Scenario s = ScenarioLoader.parse("m.yaml", "target: " + base + "\n" + yaml);
        EnginePlan plan = EnginePlan.of(s);
        RunRecorder rec = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos());
        HttpEngine engine = new HttpEngine(vertx, Clock.SYSTEM, Clients.STANDARD, plan, rec);
        var f = engine.start();
        Collector col = new Collector(rec, engine.startNanos(30_000_000_000L));
        outcome[0] = f.get(30, TimeUnit.SECONDS);
        col.collect(System.nanoTime());
        return col.totals();
    }

    @Test
    void closedModelUsersThinkBetweenRequests() throws Exception {
        // 4 users, 100 ms think, ~10 ms latency: each user about 9 requests a second -> ~70 in 2 s
        state.configure(new TargetKnobs(10_000_000L, 0, 0, 0, 0, 0, 500));
        EngineOutcome[] o = new EngineOutcome[1];
        Totals t = run("phases: [{duration: 2s, concurrency: 4, think: 100ms}]\nrequests: [{path: /api/v1/media/1}]\n", o);
        Stats s = t.overall(2);
        assertEquals(0, s.errors(), () -> s.errorsByKind() + " " + java.util.Arrays.toString(t.firstErrorDetail()));
        assertTrue(s.requests() >= 40 && s.requests() <= 90, "closed model sent " + s.requests());
        assertTrue(s.latencyMicros().uncorrected().p50() >= 9_000, "latency includes the 10 ms knob");
    }

    @Test
    void everyReportOfAStripeComesFromItsOwnEventLoop() throws Exception {
        // a closed phase with think time: sends after thinking once ran on whichever event loop
        // Vert.x picked for the timer (the lean client calls back outside any Vert.x context),
        // racing with the engine's own loop; every callback must come from one thread
        state.configure(new TargetKnobs(2_000_000L, 0, 0, 0, 0, 0, 500));
        Scenario s = ScenarioLoader.parse("m.yaml", "target: " + base + "\n"
                + "phases: [{duration: 1s, concurrency: 8, think: 5ms}]\nrequests: [{path: /api/v1/media/1}]\n");
        EnginePlan plan = EnginePlan.of(s);
        ThreadCheckingSink sink = new ThreadCheckingSink();
        EngineOutcome o = new HttpEngine(vertx, Clock.SYSTEM, Clients.STANDARD, plan, sink).start().get(20, TimeUnit.SECONDS);
        assertEquals(1, sink.threads.size(), "reports came from " + sink.threads);
        assertTrue(sink.sends.get() > 100, "sent only " + sink.sends.get());
        assertEquals(sink.sends.get(), sink.ends.get() + o.abandonedInFlight(), "every request sent ends once");
    }

    /** Counts sends and ends, and notes the thread of every report. */
    private static final class ThreadCheckingSink implements ResultSink {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final AtomicLong sends = new AtomicLong();
        final AtomicLong ends = new AtomicLong();

        private void seen(AtomicLong counter) {
            threads.add(Thread.currentThread().getName());
            counter.incrementAndGet();
        }

        @Override
        public void onSend(int phase, int request, long intended, long sent, long bodyBytes) {
            seen(sends);
        }

        @Override
        public void onSuccess(int phase, int request, int status, long intended, long sent, long done, long expected) {
            seen(ends);
        }

        @Override
        public void onNotSent(int phase, int request, long intended, long now, String detail) {
            seen(ends);
        }

        @Override
        public void onError(int phase, int request, ErrorKind kind, String detail, long intended, long sent, long done) {
            seen(ends);
        }
    }

    @Test
    void maxRateKeepsEveryConnectionBusy() throws Exception {
        EngineOutcome[] o = new EngineOutcome[1];
        Totals t = run("defaults: {maxConnections: 4}\nphases: [{duration: 1s, max: true}]\nrequests: [{path: /health}]\n", o);
        Stats s = t.overall(1);
        assertEquals(0, s.errors());
        assertTrue(s.requests() > 200, "max rate reached only " + s.requests() + " req/s");
    }

    @Test
    void rampSendsTheIntegralOfItsRate() throws Exception {
        EngineOutcome[] o = new EngineOutcome[1];
        Totals t = run("phases: [{duration: 2s, rate: {from: 10/s, to: 190/s}}]\nrequests: [{path: /health}]\n", o);
        assertEquals(200, t.overall(2).requests());
    }

    @Test
    void failedExpectationsAreAssertionErrorsAndVariablesVary() throws Exception {
        EngineOutcome[] o = new EngineOutcome[1];
        Totals t = run("""
                phases: [{duration: 1s, rate: 100/s}]
                requests:
                  - {name: ids, path: "/api/v1/media/${random:1..1000}", expect: {status: 200}}
                  - {name: wrong, path: /api/v1/media/2, expect: {json: {/id: 3}}}
                  - {name: right, path: /api/v1/media/2, expect: {json: {/id: 2}, bodyContains: Media}}
                """, o);
        Stats ids = t.request(0, 1);
        // ids 501..1000 do not exist: about half answer 404, which the expectation does not accept
        assertTrue(ids.errorsByKind().getOrDefault("status_4xx", 0L) > 5, ids.errorsByKind().toString());
        assertTrue(ids.successes() > 5);
        assertEquals(t.request(1, 1).requests(), (long) t.request(1, 1).errorsByKind().get("assertion"));
        assertEquals(0, t.request(2, 1).errors());
        assertEquals("JSON /id is 2, expected 3", t.firstErrorDetail()[ErrorKind.ASSERTION.ordinal()]);
    }
}
