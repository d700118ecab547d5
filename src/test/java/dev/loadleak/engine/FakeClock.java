package dev.loadleak.engine;

/** A clock that moves only when a test says so. */
public final class FakeClock implements Clock {
    private long now;

    public FakeClock(long start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    public void advanceNanos(long nanos) {
        now += nanos;
    }

    public void advanceMillis(long millis) {
        now += millis * 1_000_000L;
    }
}
