package dev.loadleak.engine;

/**
 * The max-rate model: as many users as the connections can carry at once (connections × pipelining
 * depth, or HTTP/2 streams), each sending again the moment its answer arrives.
 */
final class MaxRate extends UserLoop {
    MaxRate(HttpEngine core, int phase, EnginePlan.PhasePlan p, long phaseStart) {
        super(core, phase, p, phaseStart);
    }

    @Override
    void nextSend(long now) {
        userReady(now);
    }
}
