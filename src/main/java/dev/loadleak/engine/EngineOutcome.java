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
    /** The outcome of a stripe that ended at {@code end}; {@code transport} is null when it could not be made. */
    static EngineOutcome of(boolean interrupted, long start, long end, long sent, long abandoned, Transport transport,
                            long lateWhileBusy) {
        return new EngineOutcome(interrupted ? Status.INTERRUPTED : Status.COMPLETED, start, end, sent, abandoned,
                transport == null ? 0 : transport.connectionsOpened(), transport == null ? "" : transport.describe(),
                lateWhileBusy);
    }

    /** How a run ended. */
    public enum Status { COMPLETED, INTERRUPTED }
}
