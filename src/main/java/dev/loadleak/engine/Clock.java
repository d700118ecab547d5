package dev.loadleak.engine;

/** Monotonic time in nanoseconds. Injected everywhere time matters, so tests can use a fake. */
@FunctionalInterface
public interface Clock {
    long nanoTime();

    /** The JVM's monotonic clock. */
    Clock SYSTEM = System::nanoTime;
}
