package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.scenario.ScenarioLoader;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Closing the ticker at the end of a run lets the tick under way finish: interrupting it closed the journal's
 * file channel while it wrote a line (ClosedByInterruptException, "the journal stopped: null" on ordinary runs).
 */
class TickerCloseTest {
    @Test
    void aTickUnderWayIsNotInterruptedByClose() throws Exception {
        EnginePlan plan = EnginePlan.of(ScenarioLoader.parse("t.yaml",
                "target: http://127.0.0.1:1\nphases: [{duration: 5s, rate: 1/s}]\nrequests: [{path: /}]\n"));
        long start = Clock.SYSTEM.nanoTime() - 1_000_000_000L;
        Collector collector = new Collector(new RunRecorder(1, 1, plan.lateBoundNanos()), start);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger ticks = new AtomicInteger();
        RunListener slow = new RunListener() {
            @Override
            public void live(LiveSnapshot now) {
                ticks.incrementAndGet();
                entered.countDown();
                try {
                    // a journal line being forced to disk: the tick must be let finish
                    interrupted.set(!release.await(30, TimeUnit.SECONDS) || Thread.currentThread().isInterrupted());
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            }
        };
        Ticker ticker = new Ticker(collector, plan, slow, Clock.SYSTEM, new LiveView(collector, null, List.of("r"), null));
        ticker.start(start);
        assertTrue(entered.await(30, TimeUnit.SECONDS), "the first tick is due at once");
        Thread closer = new Thread(ticker::close, "closer");
        closer.start();
        while (closer.getState() != Thread.State.TIMED_WAITING && closer.isAlive()) {
            Thread.onSpinWait(); // until close waits for the tick
        }
        assertTrue(closer.isAlive(), "close waits for the tick under way");
        release.countDown();
        closer.join(30_000);
        assertFalse(closer.isAlive());
        assertFalse(interrupted.get(), "the tick finished without an interrupt");
        assertEquals(1, ticks.get(), "no tick after close");
    }
}
