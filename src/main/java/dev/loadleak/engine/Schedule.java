package dev.loadleak.engine;

/**
 * When each request of a phase is intended to be sent: a pure function of its index, so the
 * backlog of a busy moment is just "next index", never a queue of objects, and tests can check
 * it exactly.
 */
public interface Schedule {
    /** How many requests the phase sends. */
    long count();

    /** Intended send time of request {@code index} (0-based), in nanoseconds from the phase start. */
    long offsetNanos(long index);
}
