package dev.loadleak.engine;

/** The engine's requests in flight, oldest first: an intrusive doubly linked list, no node objects. */
final class InFlightList {
    private Exchange oldest;
    private Exchange newest;
    private int size;

    void add(Exchange x) {
        x.prev = newest;
        if (newest != null) {
            newest.next = x;
        } else {
            oldest = x;
        }
        newest = x;
        size++;
    }

    void remove(Exchange x) {
        if (x.prev != null) {
            x.prev.next = x.next;
        } else {
            oldest = x.next;
        }
        if (x.next != null) {
            x.next.prev = x.prev;
        } else {
            newest = x.prev;
        }
        x.prev = null;
        x.next = null;
        size--;
    }

    /** The exchange with the earliest deadline, or null. */
    Exchange oldest() {
        return oldest;
    }

    int size() {
        return size;
    }
}
