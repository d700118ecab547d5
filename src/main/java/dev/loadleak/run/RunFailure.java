package dev.loadleak.run;

import dev.loadleak.result.RunStatus;

/**
 * A run that could not start or go on, for a reason the user can act on (printed as one line,
 * no stack trace); the CLI maps its kind to an exit code, the service to an HTTP status.
 */
public final class RunFailure extends RuntimeException {
    /** Why: each kind is one documented exit code of the CLI. */
    public enum Kind {
        /** The output directory cannot be written (exit 2): nothing was sent. */
        BAD_OUTPUT,
        /** The target or the engine could not be used (exit 3). */
        COULD_NOT_RUN,
        /** Interrupted before any load (exit 130). */
        INTERRUPTED
    }

    private final Kind kind;
    /** For a target that failed its preflight, UNREACHABLE or UNHEALTHY (its artifacts are written); else null. */
    private final RunStatus preflight;

    public RunFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public RunFailure(Kind kind, String message, RunStatus preflight) {
        super(message);
        this.kind = kind;
        this.preflight = preflight;
    }

    public RunStatus preflight() {
        return preflight;
    }

    public Kind kind() {
        return kind;
    }
}
