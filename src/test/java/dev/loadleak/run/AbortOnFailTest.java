package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.analysis.RunResult;
import dev.loadleak.history.HistoryFixtures;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
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

    @Test
    void aFailingCriterionStopsTheRunOnceItsDelayIsOver() throws Exception {
        Scenario s = scenario("  required:\n    - {expr: p95 < 5ms, abortOnFail: true, delay: 10s}\n    - error_rate < 1%\n");
        AtomicReference<RunResult> now = new AtomicReference<>(HistoryFixtures.result("abort", "2026-12-03T00:00:00Z", 20_000));
        AtomicInteger scored = new AtomicInteger();
        AbortOnFail a = AbortOnFail.of(s.criteria(), () -> {
            scored.incrementAndGet();
            return now.get();
        });
        assertNotNull(a);
        for (long t = 1; t < 10; t++) {
            assertNull(a.check(t), "not judged before its 10 s delay (second " + t + ")");
        }
        assertEquals(0, scored.get(), "nothing is even scored before the earliest delay");
        String why = a.check(10);
        assertTrue(why != null && why.startsWith("required p95 < 5ms, actual 20") && why.contains("FAIL"), why);

        now.set(HistoryFixtures.result("abort", "2026-12-03T00:00:00Z", 3_000));
        for (long t = 10; t <= 60; t++) {
            assertNull(a.check(t), "a passing criterion never stops the run (second " + t + ")");
        }
        int before = scored.get();
        for (long t = 61; t <= 120; t++) {
            a.check(t);
        }
        assertEquals(12, scored.get() - before, "after the first minute, scored every 5 s");
    }

    @Test
    void withoutAbortOnFailNothingIsWatchedAndAFaultySupplierStopsNothing() throws Exception {
        assertNull(AbortOnFail.of(scenario("  required: [p95 < 5ms]\n").criteria(), () -> null));
        AbortOnFail a = AbortOnFail.of(scenario("  required:\n    - {check: p95 < 5ms, abortOnFail: true}\n").criteria(),
                () -> {
                    throw new IllegalStateException("no figures yet");
                });
        assertNull(a.check(1));
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
