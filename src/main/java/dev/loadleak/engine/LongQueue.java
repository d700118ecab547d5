package dev.loadleak.engine;

/** A FIFO of primitive longs on a growable ring buffer: no boxing on the engine's path. */
final class LongQueue {
    private long[] items = new long[64];
    private int head;
    private int size;

    void add(long v) {
        if (size == items.length) {
            long[] bigger = new long[items.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = items[(head + i) % items.length];
            }
            items = bigger;
            head = 0;
        }
        items[(head + size) % items.length] = v;
        size++;
    }

    long poll() {
        long v = items[head];
        head = (head + 1) % items.length;
        size--;
        return v;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void clear() {
        head = 0;
        size = 0;
    }
}
