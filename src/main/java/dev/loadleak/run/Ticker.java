package dev.loadleak.run;

import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.load.PhasePlan;
import dev.loadleak.metrics.Collector;
import dev.loadleak.result.TimelinePoint;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The run's per-second collection, on a thread of its own: every second after the start it pulls
 * the interval histograms into the timeline and publishes the run's {@link LiveSnapshot} to the listener.
 */
final class Ticker implements AutoCloseable {
    static final long CLOSE_WAIT_SECONDS = 5;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadleak-collector");
        t.setDaemon(true);
        return t;
    });
    private final Collector collector;
    private final EnginePlan plan;
    private final RunListener listener;
    private final Clock clock;
    private final LiveView view;
    private final long totalSeconds;
    private long errorsSoFar;

    Ticker(Collector collector, EnginePlan plan, RunListener listener, Clock clock, LiveView view) {
        this.view = view;
        this.collector = collector;
        this.plan = plan;
        this.listener = listener;
        this.clock = clock;
        this.totalSeconds = Math.round(plan.totalDurationNanos() / 1e9);
    }

    void start(long startNanos) {
        thread.scheduleAtFixedRate(this::tick, Math.max(0, startNanos + 1_000_000_000L - clock.nanoTime()),
                1_000_000_000L, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        TimelinePoint p = collector.collect(clock.nanoTime());
        errorsSoFar += p.errors();
        listener.live(view.next(p, p.second() + 1, totalSeconds, pace(plan, p.second()), errorsSoFar));
    }

    /** What the load aims at in {@code second}: the intended rate, or the users or max rate of the phase. */
    static String pace(EnginePlan plan, long second) {
        PhasePlan p = plan.phases().get(plan.phaseIndexAt(second));
        return switch (p.model()) {
            case OPEN -> String.format(Locale.ROOT, "intended %.0f/s", plan.intendedRateAt(second));
            case CLOSED -> p.users() + (p.users() == 1 ? " user" : " users");
            case MAX -> "max";
        };
    }

    /**
     * Lets a tick under way finish (at most {@link #CLOSE_WAIT_SECONDS}), then stops. Never interrupts one: a tick
     * writes the journal, and an interrupt during its write closes the journal's file channel
     * ({@code ClosedByInterruptException}), which lost the journal's end and warned on ordinary runs.
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
