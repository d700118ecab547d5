package dev.loadleak.serve;

import dev.loadleak.analysis.RunStatus;
import java.util.Locale;

/**
 * What serve says of a run: still running, how it ended (each {@link RunStatus}, by the same name), or that it could
 * not run at all (its scenario or target failed before any load). Written in run.json, the run list, the
 * {@code end} event and {@code /metrics} in lower case, as result.json writes {@link RunStatus}.
 */
public enum ServedStatus {
    RUNNING,
    /** A stop was asked (DELETE, as SIGINT): in-flight requests get their grace, then the run ends interrupted. */
    STOPPING,
    /** The run could not start: nothing was sent, and the reason is its failure. */
    COULD_NOT_RUN,
    COMPLETED,
    INTERRUPTED,
    FAILED,
    /** The service stopped (or died) while the run went on; a journal, if any, rebuilt what it measured. */
    ABORTED,
    ABORTED_BY_CRITERIA,
    UNREACHABLE,
    UNHEALTHY;

    /** Whether the run still goes on (running, or stopping). */
    public boolean going() {
        return this == RUNNING || this == STOPPING;
    }

    public static ServedStatus of(RunStatus s) {
        return valueOf(s.name());
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** As run.json wrote it; a word this version does not know (a newer loadleak's) reads as {@link #ABORTED}. */
    public static ServedStatus fromJson(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return ABORTED;
        }
    }
}
