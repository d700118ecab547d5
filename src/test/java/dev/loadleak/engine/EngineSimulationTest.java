package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A whole engine (load models, in-flight list, timeouts, phase changes) driven against a scripted
 * transport on a virtual clock: every rule is checked to the nanosecond, without sleeping.
 */
class EngineSimulationTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_000 * MS;

    /** What the engine told its sink, in order. */
    record Event(String kind, int phase, long intended, long sent, long done, long expectedInterval, String detail) {
    }

    static class Recording implements ResultSink {
        final List<Event> events = new ArrayList<>();
        final ResultSink also;

        Recording(ResultSink also) {
            this.also = also;
        }

        @Override
        public void onSend(int phase, int request, long intended, long sent, long bodyBytes) {
            events.add(new Event("send", phase, intended, sent, 0, 0, null));
            also.onSend(phase, request, intended, sent, bodyBytes);
        }

        @Override
        public void onSuccess(int phase, int request, int status, long intended, long sent, long done, long interval) {
            events.add(new Event("ok", phase, intended, sent, done, interval, null));
            also.onSuccess(phase, request, status, intended, sent, done, interval);
        }

        @Override
        public void onNotSent(int phase, int request, long intended, long now, String detail) {
            events.add(new Event("not-sent", phase, intended, 0, now, 0, detail));
            also.onNotSent(phase, request, intended, now, detail);
        }

        @Override
        public void onError(int phase, int request, ErrorKind kind, String detail, long intended, long sent, long done) {
            events.add(new Event(kind.label(), phase, intended, sent, done, 0, detail));
            also.onError(phase, request, kind, detail, intended, sent, done);
        }

        List<Event> of(String kind) {
            return events.stream().filter(e -> e.kind().equals(kind)).toList();
        }
    }

    /** One engine on a virtual clock, started at {@link #T0}. */
    static final class Sim {
        final VirtualScheduler clock = new VirtualScheduler(T0);
        final ScriptedTransport transport = new ScriptedTransport();
        final EnginePlan plan;
        final RunRecorder recorder;
        final Recording sink;
        final HttpEngine engine;
        final CompletableFuture<EngineOutcome> done;

        Sim(String yaml) throws Exception {
            this(yaml, null);
        }

        Sim(String yaml, TransportFactory factory) throws Exception {
            plan = EnginePlan.of(ScenarioLoader.parse("sim.yaml", "target: http://127.0.0.1:1\n" + yaml));
            recorder = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos());
            sink = new Recording(recorder);
            engine = new HttpEngine(null, null, clock, factory != null ? factory : transport.factory(), plan, sink, 0, 1);
            done = engine.start();
            clock.runDue();
        }

        void at(long t) {
            clock.advanceTo(T0 + t);
        }
    }

    @Test
    void aRequestDueWhileEveryConnectionIsBusyLeavesWhenOneFreesUpAndKeepsItsIntendedTime() throws Exception {
        Sim sim = new Sim("defaults: {maxConnections: 2, timeout: 1s}\n"
                + "phases: [{duration: 20ms, rate: 1000/s}]\nrequests: [{path: /}]\n");
        sim.at(2 * MS);
        assertEquals(2, sim.transport.sent.size(), "two connections: the third arrival (due at 2 ms) waits");
        sim.at(17 * MS);
        assertEquals(2, sim.transport.sent.size(), "still no free connection");
        sim.transport.answer(0, 200);
        List<Event> sends = sim.sink.of("send");
        assertEquals(3, sends.size());
        assertEquals(T0 + 2 * MS, sends.get(2).intended(), "the backlog keeps its intended time");
        assertEquals(T0 + 17 * MS, sends.get(2).sent(), "and leaves when the connection frees up");
        for (int i = 1; i <= 2; i++) {
            sim.transport.answer(i, 200);
        }
        sim.at(100 * MS);
        for (int i = 3; i < sim.transport.sent.size(); i++) {
            sim.transport.answer(i, 200);
        }
        sim.at(101 * MS);
        EngineOutcome o = sim.done.get(0, TimeUnit.SECONDS);
        assertEquals(EngineOutcome.Status.COMPLETED, o.status());
        assertEquals(20, o.sent(), "20 arrivals in 20 ms at 1000/s, none lost");
        Collector c = new Collector(sim.recorder, T0);
        c.collect(T0 + 101 * MS);
        // arrivals due at 2..16 ms left at 17 ms or later: those more than 10 ms late are late sends
        long late = 0;
        for (Event e : sim.sink.of("send")) {
            late += e.sent() - e.intended() > 10 * MS ? 1 : 0;
        }
        assertTrue(late >= 5, "late sends: " + late);
        assertEquals(late, c.totals().lateSends()[0], "the recorder counts exactly the sends over 10 ms late");
        assertEquals(late, o.lateWhileBusy(), "each of them waited for a connection: the cause the warning names");
    }

    @Test
    void aBacklogOlderThanTheTimeoutFromItsIntendedTimeIsReportedNotSent() throws Exception {
        Sim sim = new Sim("defaults: {maxConnections: 1, timeout: 100ms}\n"
                + "phases: [{duration: 1s, rate: 100/s}]\nrequests: [{path: /}]\n");
        // #0 at 0 holds the only connection until it times out at 100 ms; #1 (due 10 ms) then goes
        sim.at(100 * MS);
        assertEquals(2, sim.transport.sent.size());
        Event first = sim.sink.of("timeout").get(0);
        assertEquals(T0 + 100 * MS, first.done());
        assertEquals(T0 + 10 * MS, sim.sink.of("send").get(1).intended());
        assertEquals(T0 + 100 * MS, sim.sink.of("send").get(1).sent());
        assertEquals(1, sim.transport.aborted.size(), "the timed-out request is aborted on the transport");
        // #2 (due 20 ms) waits behind #1 until 120 ms, its timeout from its intended time: not sent
        sim.at(119 * MS);
        assertTrue(sim.sink.of("not-sent").isEmpty());
        sim.at(120 * MS);
        List<Event> notSent = sim.sink.of("not-sent");
        assertEquals(1, notSent.size());
        assertEquals(T0 + 20 * MS, notSent.get(0).intended());
        assertEquals(T0 + 120 * MS, notSent.get(0).done());
        assertEquals("not sent: all 1 connections were busy for the whole 100 ms timeout", notSent.get(0).detail());
    }

    @Test
    void noRequestOutlivesThePlannedEndPlusTheTimeout() throws Exception {
        Sim sim = new Sim("defaults: {maxConnections: 1, timeout: 1s}\n"
                + "phases: [{duration: 500ms, rate: 100/s}]\nrequests: [{path: /}]\n");
        sim.at(1000 * MS);
        // #0 timed out at 1 s; #1 (due 10 ms) left at 1 s, after the planned end (500 ms)
        assertEquals(T0 + 1000 * MS, sim.sink.of("send").get(1).sent());
        sim.at(1499 * MS);
        assertEquals(1, sim.sink.of("timeout").size());
        assertFalse(sim.done.isDone());
        sim.at(1500 * MS);
        List<Event> timeouts = sim.sink.of("timeout");
        assertEquals(2, timeouts.size());
        assertEquals(T0 + 1500 * MS, timeouts.get(1).done(), "deadline: planned end (500 ms) + timeout (1 s)");
        assertEquals("no complete response by the planned end of the run plus the timeout", timeouts.get(1).detail());
        EngineOutcome o = sim.done.get(0, TimeUnit.SECONDS);
        assertEquals(T0 + 1500 * MS, o.endNanos(), "the run ends within its duration plus the timeout");
        // every arrival is accounted for: 2 sent (both timed out), the other 48 not sent
        assertEquals(2, o.sent());
        assertEquals(48, sim.sink.of("not-sent").size());
    }

    @Test
    void closedUsersThinkAfterEachAnswerAndStopAtThePhaseEnd() throws Exception {
        Sim sim = new Sim("phases: [{duration: 200ms, concurrency: 1, think: 50ms}]\nrequests: [{path: /}]\n");
        long[] expectedSends = {0, 60, 120, 180};
        for (int i = 0; i < expectedSends.length; i++) {
            sim.at(expectedSends[i] * MS);
            assertEquals(i + 1, sim.transport.sent.size(), "send " + i);
            assertEquals(T0 + expectedSends[i] * MS, sim.sink.of("send").get(i).sent());
            sim.at(expectedSends[i] * MS + 10 * MS);
            sim.transport.answer(i, 200);
        }
        sim.at(400 * MS);
        assertEquals(4, sim.transport.sent.size(), "the user would be ready at 240 ms, after the end");
        // the expected interval (think + running latency estimate) corrects for coordinated omission
        assertEquals(60 * MS, sim.sink.of("ok").get(1).expectedInterval());
        assertEquals(EngineOutcome.Status.COMPLETED, sim.done.get(0, TimeUnit.SECONDS).status());
    }

    @Test
    void maxRateUsersSendAgainTheMomentTheirAnswerArrivesThenTheNextPhaseStarts() throws Exception {
        Sim sim = new Sim("defaults: {maxConnections: 2}\nphases:\n  - {duration: 10ms, max: true}\n"
                + "  - {duration: 10ms, rate: 1000/s}\nrequests: [{path: /}]\n");
        assertEquals(2, sim.transport.sent.size(), "one user per connection");
        sim.at(3 * MS);
        sim.transport.answer(0, 200);
        assertEquals(3, sim.transport.sent.size());
        assertEquals(T0 + 3 * MS, sim.sink.of("send").get(2).sent());
        sim.transport.answer(1, 200);
        sim.transport.answer(2, 200);
        // phase 1 (open, from 10 ms) sends on its own schedule
        sim.at(10 * MS);
        sim.transport.answer(3, 200);
        sim.transport.answer(4, 200);
        List<Event> phase1 = sim.sink.of("send").stream().filter(e -> e.phase() == 1).toList();
        assertEquals(T0 + 10 * MS, phase1.get(0).intended());
        for (long t = 11; t <= 20; t++) {
            sim.at(t * MS);
            sim.transport.answerAll(200);
        }
        sim.at(30 * MS);
        assertEquals(10, sim.sink.of("send").stream().filter(e -> e.phase() == 1).count());
        assertTrue(sim.done.isDone());
    }

    @Test
    void aTransportThatCannotBeMadeFailsTheEngineInsteadOfHangingIt() throws Exception {
        Sim sim = new Sim("phases: [{duration: 1s, rate: 10/s}]\nrequests: [{path: /}]\n",
                ScriptedTransport.failing("no TLS context"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> sim.engine.startNanos(0));
        assertInstanceOf(EngineFailure.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("no TLS context"), e.getCause().getMessage());
        assertTrue(sim.done.isCompletedExceptionally());
    }

    @Test
    void aSinkThatThrowsFailsTheRunOnItsEventLoopInsteadOfStoppingItsClock() throws Exception {
        VirtualScheduler clock = new VirtualScheduler(T0);
        ScriptedTransport transport = new ScriptedTransport();
        EnginePlan plan = EnginePlan.of(ScenarioLoader.parse("sim.yaml", "target: http://127.0.0.1:1\n"
                + "phases: [{duration: 1s, rate: 100/s}]\nrequests: [{path: /}]\n"));
        ResultSink broken = new Recording(new RunRecorder(1, 1, plan.lateBoundNanos())) {
            @Override
            public void onSuccess(int phase, int request, int status, long intended, long sent, long done, long iv) {
                throw new IllegalStateException("bug in a sink");
            }
        };
        HttpEngine engine = new HttpEngine(null, null, clock, transport.factory(), plan, broken, 0, 1);
        CompletableFuture<EngineOutcome> done = engine.start();
        clock.runDue();
        clock.advanceBy(5 * MS);
        assertFalse(done.isDone());
        clock.advanceBy(MS);
        // the answer arrives from a transport callback: the failure surfaces through the run's future
        engine.later(0, () -> transport.answer(0, 200));
        clock.advanceBy(MS);
        ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(0, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("bug in a sink"), e.getCause().getMessage());
        assertTrue(transport.closed, "its connections are closed");
    }

    @Test
    void answersThatFailHaveTheirOwnLatencyNotTheSuccesses() throws Exception {
        Sim sim = new Sim("phases: [{duration: 50ms, rate: 100/s}]\nrequests: [{path: /}]\n");
        for (int i = 0; i < 5; i++) {
            sim.at(i * 10 * MS + 5 * MS);
            sim.transport.answer(i, i == 4 ? 200 : 503);
        }
        sim.at(100 * MS);
        Collector c = new Collector(sim.recorder, T0);
        c.collect(T0 + 100 * MS);
        var overall = c.totals().overall(0.05);
        assertEquals(4, overall.errors());
        assertEquals(1, overall.successes());
        // the four 503s came back 5 ms after they were due; the one success too
        assertEquals(4, Stats.decode(overall.histograms().answeredErrors()).getTotalCount());
        assertEquals(5000, overall.errorLatencyMicros().p50(), 5);
        assertEquals(5000, overall.latencyMicros().corrected().p50(), 5);
    }

    @Test
    void timeoutsAreNotAnsweredErrors() throws Exception {
        Sim sim = new Sim("defaults: {timeout: 10ms}\nphases: [{duration: 10ms, rate: 100/s}]\nrequests: [{path: /}]\n");
        sim.at(100 * MS);
        Collector c = new Collector(sim.recorder, T0);
        c.collect(T0 + 100 * MS);
        assertEquals(1, c.totals().overall(0.01).errors());
        assertEquals(null, c.totals().overall(0.01).errorLatencyMicros());
    }
}
