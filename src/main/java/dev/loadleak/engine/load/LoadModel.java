package dev.loadleak.engine.load;

/**
 * How one phase of one stripe starts virtual users, the one thing a load model decides: {@link OpenArrivals} (each
 * arrival of a schedule is a new user running one iteration) or {@link FlowUsers} (a fixed number of users that
 * loop, pausing the phase's think time between iterations: the closed model, and max rate, whose users never pause).
 * Every user runs on the core's one flow driver; the engine core owns connections, in-flight requests and timeouts,
 * and a model sees of it only {@link Core} (and of a user only {@link User}). Made when its phase begins, retired
 * when it ends; called on the stripe's thread. Models are registered by {@link Kind}.
 */
public interface LoadModel {
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

        /**
         * Begins an iteration of {@code flow} at {@code at}: of {@code again}, a user of {@code by} whose last
         * iteration ended, or of a new user of {@code by} when {@code again} is null.
         */
        void begin(Owner by, User again, int flow, int phase, long at);

        /** Runs the users' steps that are due. */
        void dispatchUsers(long now);

        /** The flow the next closed-model iteration of this stripe runs. */
        int nextFlow();

        /** An open-model arrival: a new user of {@code by}, due at {@code intended}. */
        void arrive(Owner by, int phase, long intended, long now, long seq, boolean waitedForRoom);

        /** An open-model arrival that waited for room longer than the timeout: reported as not sent. */
        void notSent(Owner by, int phase, long intended, long now, long seq);
    }

    /** What owns a user's iterations, as the flow driver sees it: the load model that started the user. */
    interface Owner {
        /** Whether an iteration still going when this model retires is cut (closed and max models). */
        boolean retired();

        /** The expected interval of a user's next step for the coordinated-omission correction (0: open model). */
        long expectedInterval(User u);

        /** {@code u}'s iteration ended at {@code now}; it may start another. */
        void iterationEnded(User u, long now);

        /**
         * Whether this model keeps a user after its iteration ended (to start another, or because it
         * holds it); false when it drops it, so the driver may reuse it for a new user of any model.
         */
        default boolean keepsUsers() {
            return true;
        }

        /** A step of a user of this model sent at {@code sentNanos} ended at {@code now}, whatever its outcome. */
        void completed(long sentNanos, long now);
    }

    /** A virtual user, as its load model sees it. */
    interface User {
        /** The step of its flow it is at (0: an iteration's first). */
        int step();
    }

    /** Makes the model of one phase (a kind's constructor). */
    @FunctionalInterface
    interface Factory {
        LoadModel make(Core core, int index, PhasePlan p, long phaseStart);
    }

    /**
     * The load models by kind, each registered with the model that starts its users: open arrivals, closed users
     * (with think time) and max rate (users that never pause).
     */
    enum Kind {
        OPEN(OpenArrivals::new), CLOSED(FlowUsers::new), MAX(FlowUsers::new);

        private final Factory factory;

        Kind(Factory factory) {
            this.factory = factory;
        }
    }

    /** The model of {@code p}, the {@code index}-th phase of the plan, starting at {@code runStart}. */
    static LoadModel of(Core core, int index, PhasePlan p, long runStart) {
        return p.model().factory.make(core, index, p, runStart + p.startOffsetNanos());
    }
}
