package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.history.HistoryFixtures;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * abortOnFail on a virtual timeline: the elapsed seconds are given, the run so far is a result whose
 * p95 the test sets. Nothing stops before a criterion's delay; a failing one stops the run at the
 * first second it is due; a passing one never does; after the first 30 s it is scored every 5 s (as the live view);
 * and the scenario file's mistakes are problems with their line.
 */
class AbortOnFailTest {
    private static Scenario scenario(String criteria) throws InvalidScenarioException {
        return ScenarioLoader.parse("abort.yaml", "name: abort\ntarget: http://127.0.0.1:1\n"
                + "phases: [{duration: 10m, rate: 10/s}]\nrequests: [{name: list, path: /}]\ncriteria:\n" + criteria);
    }

    private static LiveSnapshot at(long second, RunResult scored, boolean scoredNow) {
        return new LiveSnapshot(second, 600, "intended 10/s", 0, new TimelinePoint(second - 1, 10, 0, 1, 2, 3, 4),
                List.of(), List.of(), scored, scoredNow);
    }

    @Test
    void aFailingCriterionStopsTheRunOnceItsDelayIsOver() throws Exception {
        Scenario s = scenario("  required:\n    - {expr: p95 < 5ms, abortOnFail: true, delay: 10s}\n    - error_rate < 1%\n");
        RunResult failing = HistoryFixtures.result("abort", "2026-12-03T00:00:00Z", 20_000);
        RunResult passing = HistoryFixtures.result("abort", "2026-12-03T00:00:00Z", 3_000);
        AbortOnFail a = AbortOnFail.of(s.criteria());
        assertNotNull(a);
        for (long t = 1; t < 10; t++) {
            assertNull(a.check(at(t, failing, true)), "not judged before its 10 s delay (second " + t + ")");
        }
        String why = a.check(at(10, failing, true));
        assertTrue(why != null && why.startsWith("required p95 < 5ms, actual 20") && why.contains("FAIL"), why);
        assertNull(a.check(at(11, failing, false)), "judged only on a second the run was scored");
        for (long t = 10; t <= 60; t++) {
            assertNull(a.check(at(t, passing, true)), "a passing criterion never stops the run (second " + t + ")");
        }
    }

    @Test
    void theLiveViewScoresEachSecondForHalfAMinuteThenEveryFiveAndKeepsItsLastScoringWhenOneFails() throws Exception {
        AtomicInteger scored = new AtomicInteger();
        AtomicReference<RunException> fault = new AtomicReference<>();
        RunResult r = HistoryFixtures.result("abort", "2026-12-03T00:00:00Z", 3_000);
        Collector collector = new Collector(new RunRecorder(1, 1, 10_000_000L), 0);
        LiveView view = new LiveView(collector, null, List.of("list"), () -> {
            scored.incrementAndGet();
            if (fault.get() != null) {
                throw fault.get();
            }
            return r;
        });
        for (long t = 1; t <= 60; t++) {
            LiveSnapshot n = view.next(new TimelinePoint(t - 1, 10, 0, 1, 2, 3, 4), t, 600, "max", 0);
            assertEquals(t < 30 || t % 5 == 0, n.scoredNow(), "second " + t);
            assertEquals(r, n.scored());
            assertEquals(List.of("list"), n.requests().stream().map(LiveSnapshot.RequestNow::name).toList());
        }
        int before = scored.get();
        for (long t = 61; t <= 120; t++) {
            view.next(new TimelinePoint(t - 1, 10, 0, 1, 2, 3, 4), t, 600, "max", 0);
        }
        assertEquals(12, scored.get() - before, "after the first minute, scored every 5 s");
        fault.set(new RunException("no figures yet"));
        LiveSnapshot n = view.next(new TimelinePoint(124, 10, 0, 1, 2, 3, 4), 125, 600, "max", 0);
        assertFalse(n.scoredNow(), "a scoring that throws is not a scoring of this second");
        assertEquals(r, n.scored(), "the previous one stands");
        assertNull(AbortOnFail.of(scenario("  required: [p95 < 5ms]\n").criteria()), "nothing to watch");
    }

    /** A scorer's fault. */
    private static final class RunException extends RuntimeException {
        RunException(String why) {
            super(why);
        }
    }

    @Test
    void mistakesAreProblemsWithTheirLine() {
        InvalidScenarioException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidScenarioException.class,
                () -> scenario("  required:\n    - {expr: p95 < 5ms, delay: 10s}\n  target:\n"
                        + "    - {expr: p99 < 9ms, abortOnFail: true}\n    - {expr: p50 < 1ms, abortOnFail: maybe}\n"));
        String text = e.getMessage() + " " + e.problems();
        assertTrue(text.contains("criteria.required[0].delay") && text.contains("applies only with abortOnFail: true"), text);
        assertTrue(text.contains("criteria.target[0].abortOnFail") && text.contains("only a required criterion can stop"),
                text);
        assertTrue(text.contains("criteria.target[1].abortOnFail") && text.contains("must be true or false"), text);
        assertTrue(e.problems().stream().anyMatch(p -> p.line() == 9 && p.path().equals("criteria.target[0].abortOnFail")),
                "the line of the problem: " + text);
    }
}
