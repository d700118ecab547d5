package dev.loadleak.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a run ended; written in result.json in lower case ({@code "completed"}). */
public enum RunStatus {
    /** Every phase ran to its end. */
    COMPLETED,
    /** Stopped early (Ctrl-C, SIGTERM, a stop request): the figures cover the part that ran. */
    INTERRUPTED,
    /** The run could not go on (the engine failed): what was measured until then is kept. */
    FAILED,
    /**
     * The process running it ended without writing its result (killed with SIGKILL, out of memory,
     * the machine lost): {@code loadleak report DIR} rebuilt the result from the run's journal,
     * up to the last whole second it wrote.
     */
    ABORTED,
    /**
     * Stopped early because a criterion with {@code abortOnFail} failed on the figures so far; the
     * figures cover the part that ran, and {@code failure} names the criterion.
     */
    ABORTED_BY_CRITERIA,
    /** No load was sent: the target did not accept a connection at preflight. */
    UNREACHABLE,
    /** No load was sent: the target's health URL never answered 2xx within the preflight's wait. */
    UNHEALTHY;

    /** Whether no load was sent because the target failed its preflight. */
    public boolean preflightFailed() {
        return this == UNREACHABLE || this == UNHEALTHY;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static RunStatus fromJson(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
