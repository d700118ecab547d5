package dev.loadleak.engine;

/**
 * What an engine (a stripe, or all of them) did: when it started and ended (engine clock) and how
 * many it sent.
 *
 * @param lateWhileBusy sends that left more than the late bound after their intended time
 *                      because every connection was busy when they were due
 */
public record EngineOutcome(Status status, long startNanos, long endNanos, long sent, long abandonedInFlight,
                            long connectionsOpened, String client, long lateWhileBusy) {
    /** How a run ended. */
    public enum Status { COMPLETED, INTERRUPTED }
}
