package dev.loadleak.engine.load;

/**
 * When each request of an open-model phase is intended to be sent: a function of its index, so
 * the backlog of a busy moment is just "next index", never a queue of objects, and tests can
 * check it exactly. Indexes are asked for in increasing order (Poisson arrivals rely on it).
 */
public interface Schedule {
    /**
     * Intended send time of request {@code index} (0-based), in nanoseconds from the phase start;
     * a value at or past the phase's duration means the phase has no request {@code index}.
     */
    long offsetNanos(long index);

    /** How many requests the phase is expected to send (exact for even arrivals). */
    long expectedCount();
}
