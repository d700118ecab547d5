package dev.loadleak.analysis;

import dev.loadleak.result.RunStatus;

/**
 * What the run's orchestration tells the assembler about how the load went, in the result's
 * terms (not the engine's runtime types).
 *
 * @param status            how the run ended
 * @param measuredSeconds   from the schedule's start to the engine's end
 * @param abandonedInFlight requests still in flight at the end, not counted
 * @param connectionsOpened connections the client opened
 * @param client            which HTTP client carried the requests, e.g. "lean HTTP/1.1 on epoll"
 * @param failure           for a failed run, why, in one line; else null
 * @param lateWhileBusy     late sends that were due while every connection was busy
 * @param maxConnections    the scenario's bound on connections, to speak in the user's numbers
 */
public record LoadOutcome(RunStatus status, double measuredSeconds, long abandonedInFlight, long connectionsOpened,
                          String client, String failure, long lateWhileBusy, int maxConnections) {
    public LoadOutcome(RunStatus status, double measuredSeconds, long abandonedInFlight, long connectionsOpened,
                       String client, String failure) {
        this(status, measuredSeconds, abandonedInFlight, connectionsOpened, client, failure, 0, 0);
    }
}
