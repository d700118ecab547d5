package dev.loadleak.engine;

/**
 * How one phase of one stripe starts virtual users, the one thing a load model decides: {@link OpenArrivals} (each
 * arrival of a schedule is a new user running one iteration) or {@link FlowUsers} (a fixed number of users that
 * loop, pausing the phase's think time between iterations: the closed model, and max rate, whose users never pause).
 * Every user runs on the one {@link FlowDriver}; the engine core owns connections, in-flight requests and timeouts,
 * and a model sees of it only {@link Core}. Made when its phase begins, retired when it ends; called on the
 * stripe's thread. Models are registered by kind in {@link EnginePlan.Model}.
 */
interface LoadModel {
    /**
     * Starts what is due at {@code now} while the core has room, and asks for a wake-up when the
     * next start is in the future. True when the phase has nothing more to start: the core moves on.
     */
    boolean dispatch(long now);

    /** The phase ended: requests of it that complete later change nothing. */
    void retire();

    /** What a load model may ask of the engine core, and nothing more. */
    interface Core {
        /** The engine clock. */
        long now();

        /** The run is stopping: start nothing. */
        boolean stopping();

        /** A request may be put in flight now (a connection, or a pipelining slot, is free). */
        boolean hasRoom();

        long timeoutNanos();

        /** This stripe's share of {@code total} users. */
        int share(int total);

        /** The global arrival index of this stripe's {@code n}-th arrival of a phase. */
        long globalIndex(long n);

        /** Dispatches again at {@code due}, with nanosecond precision. */
        void wakeAt(long due, long now);

        /** The users' driver (a model's users begin their iterations there). */
        FlowDriver users();

        /** The flow the next closed-model iteration of this stripe runs. */
        int nextFlow();

        /** An open-model arrival: a new user of {@code by}, due at {@code intended}. */
        void arrive(FlowDriver.Owner by, int phase, long intended, long now, long seq, boolean waitedForRoom);

        /** An open-model arrival that waited for room longer than the timeout: reported as not sent. */
        void notSent(FlowDriver.Owner by, int phase, long intended, long now, long seq);
    }

    /** Makes the model of one phase (a kind's constructor). */
    @FunctionalInterface
    interface Factory {
        LoadModel make(Core core, int index, EnginePlan.PhasePlan p, long phaseStart);
    }

    /** The model of {@code p}, the {@code index}-th phase of the plan, starting at {@code runStart}. */
    static LoadModel of(Core core, int index, EnginePlan.PhasePlan p, long runStart) {
        return p.model().factory.make(core, index, p, runStart + p.startOffsetNanos());
    }
}
