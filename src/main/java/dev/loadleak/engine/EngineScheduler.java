package dev.loadleak.engine;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;
import java.util.concurrent.TimeUnit;

/**
 * Where an engine stripe's work and timers run, and what time it is there: in a run, the stripe's
 * Vert.x context and its Netty event loop; in a test, a virtual clock that runs due tasks when the
 * test advances it. Every call comes from, and every task runs on, the one thread of the stripe.
 */
public interface EngineScheduler extends Clock {
    /** Runs {@code task} on the stripe's thread (within its Vert.x context, where there is one). */
    void execute(Runnable task);

    /** Runs {@code task} once on the stripe's thread after {@code delayNanos}, whichever thread asks. */
    void schedule(long delayNanos, Runnable task);

    /**
     * A stripe's Vert.x context: tasks within the context, one-shot timers on its Netty event loop
     * (nanosecond precision on epoll; {@code vertx.setTimer} called from the lean client's Netty
     * handlers, which have no current Vert.x context, would pick another event loop and race this one).
     */
    static EngineScheduler of(Context context, Clock clock) {
        EventLoop loop = ((ContextInternal) context).nettyEventLoop();
        return new EngineScheduler() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void execute(Runnable task) {
                context.runOnContext(v -> task.run());
            }

            @Override
            public void schedule(long delayNanos, Runnable task) {
                loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            }
        };
    }
}
