package dev.loadleak.cli;

import dev.loadleak.result.Verdict;
import dev.loadleak.run.RunFailure;

/** The exit codes: a documented contract that CI scripts act on (see the README). */
public final class ExitCodes {
    /** The run passed (GO), or the command succeeded. */
    public static final int OK = 0;
    /** Criteria failed (NO-GO, or CONDITIONAL GO under --strict). */
    public static final int CRITERIA_FAILED = 1;
    /** Invalid input: bad flags, bad scenario, unwritable output directory. */
    public static final int INVALID_INPUT = 2;
    /** Could not run: target unreachable at preflight, port in use, internal failure. */
    public static final int COULD_NOT_RUN = 3;
    /** Interrupted (Ctrl-C / SIGTERM); partial results were still written. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    /** A verdict's exit code: 1 on NO-GO, and on CONDITIONAL GO under {@code --strict}; else 0. */
    public static int forVerdict(Verdict v, boolean strict) {
        if (v == Verdict.NO_GO || v == Verdict.CONDITIONAL_GO && strict) {
            return CRITERIA_FAILED;
        }
        return OK;
    }

    /** The exit code of a run that could not start or go on. */
    public static int of(RunFailure.Kind kind) {
        return switch (kind) {
            case BAD_OUTPUT -> INVALID_INPUT;
            case COULD_NOT_RUN -> COULD_NOT_RUN;
            case INTERRUPTED -> INTERRUPTED;
        };
    }
}
