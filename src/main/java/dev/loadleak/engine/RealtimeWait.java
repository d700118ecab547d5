package dev.loadleak.engine;

import dev.loadleak.scenario.Realtime;
import java.util.HashMap;

/**
 * A real-time step under way on a connection (a connect, an ack, a message awaited), and the
 * queues that time such steps out without a timer task per wait.
 */
final class RealtimeWait {
    /** What the step waits for. */
    enum Kind { CONNECT, MESSAGE, ACK }

    int phase;
    int request;
    long intended;
    long sent;
    long expectedInterval;
    Kind kind;
    Realtime action;
    /** For a receive: the expected value (or text) rendered when the step began. */
    String expected;
    int ackId;
    /** Its answer is read for extraction (else an ack's or event's payload is not parsed). */
    boolean extracts;
    RealtimeSession session;
    long deadline;
    private RealtimeWait prev;
    private RealtimeWait next;
    private Queue queue;

    /** What it waited for, in a few words (for a timeout's message). */
    String what() {
        return switch (kind) {
            case CONNECT -> action.protocol() == Realtime.Protocol.WS ? "WebSocket upgrade" : "Socket.IO namespace connect";
            case ACK -> "ack";
            case MESSAGE -> action instanceof Realtime.SioOn on ? "\"" + on.event() + "\" event"
                    : "message matching " + ((Realtime.WsReceive) action).match().describe();
        };
    }

    /**
     * The waits with one timeout, in the order they began, which is the order of their deadlines:
     * the oldest expires first (as the engine's requests in flight).
     */
    private static final class Queue {
        RealtimeWait head;
        RealtimeWait tail;
    }

    /** Every wait of a stripe by its timeout: one queue per distinct timeout of the scenario's steps. */
    static final class Timeouts {
        private final HashMap<Long, Queue> byTimeout = new HashMap<>();

        /** {@code w} began at {@code now}; it expires {@code timeoutNanos} later. */
        void add(RealtimeWait w, long timeoutNanos, long now) {
            Queue q = byTimeout.computeIfAbsent(timeoutNanos, t -> new Queue());
            w.deadline = now + timeoutNanos;
            w.queue = q;
            w.prev = q.tail;
            if (q.tail == null) {
                q.head = w;
            } else {
                q.tail.next = w;
            }
            q.tail = w;
        }

        /** {@code w} ended (or never waited): it leaves its queue. */
        static void remove(RealtimeWait w) {
            Queue q = w.queue;
            if (q == null) {
                return;
            }
            if (w.prev == null) {
                q.head = w.next;
            } else {
                w.prev.next = w.next;
            }
            if (w.next == null) {
                q.tail = w.prev;
            } else {
                w.next.prev = w.prev;
            }
            w.prev = null;
            w.next = null;
            w.queue = null;
        }

        /** A wait whose deadline has come by {@code now}, or null. */
        RealtimeWait due(long now) {
            for (Queue q : byTimeout.values()) {
                if (q.head != null && q.head.deadline <= now) {
                    return q.head;
                }
            }
            return null;
        }
    }
}
