package dev.loadleak.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A stripe's requests in flight and connections open, written by its event loop once a tick
 * (an ordered store, no fence on the hot path) and read by the per-second collector.
 */
final class EngineGauges {
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong connections = new AtomicLong(-1);

    void update(long inFlightNow, long connectionsNow) {
        inFlight.lazySet(inFlightNow);
        connections.lazySet(connectionsNow);
    }

    long inFlight() {
        return inFlight.get();
    }

    /** -1 when the transport does not say. */
    long connections() {
        return connections.get();
    }
}
