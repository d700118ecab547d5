package dev.loadleak.serve;

import dev.loadleak.result.RunStatus;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What serve says of a run: still going ({@link #RUNNING}, {@link #STOPPING}), that it could not run at all
 * ({@link #COULD_NOT_RUN}: its scenario or target failed before any load), or how it ended, a {@link RunStatus}.
 * Written in run.json, the run list, the {@code end} event and {@code /metrics} in lower case, as result.json
 * writes a {@link RunStatus}. One instance per status: compare with {@code ==}.
 */
public final class ServedStatus {
    public static final ServedStatus RUNNING = new ServedStatus("running");
    /** A stop was asked (DELETE, as SIGINT): in-flight requests get their grace, then the run ends interrupted. */
    public static final ServedStatus STOPPING = new ServedStatus("stopping");
    /** The run could not start: nothing was sent, and the reason is its failure. */
    public static final ServedStatus COULD_NOT_RUN = new ServedStatus("could_not_run");
    private static final Map<RunStatus, ServedStatus> ENDED = new EnumMap<>(RunStatus.class);

    static {
        for (RunStatus s : RunStatus.values()) {
            ENDED.put(s, new ServedStatus(s.json()));
        }
    }

    /** The service stopped (or died) while the run went on; a journal, if any, rebuilt what it measured. */
    public static final ServedStatus ABORTED = of(RunStatus.ABORTED);
    public static final ServedStatus COMPLETED = of(RunStatus.COMPLETED);
    public static final ServedStatus FAILED = of(RunStatus.FAILED);

    private final String word;

    private ServedStatus(String word) {
        this.word = word;
    }

    /** How a run ended, as serve says it. */
    public static ServedStatus of(RunStatus s) {
        return ENDED.get(s);
    }

    public String json() {
        return word;
    }

    /** Whether the run still goes on (running, or stopping). */
    public boolean going() {
        return this == RUNNING || this == STOPPING;
    }

    /** As run.json wrote it; a word this version does not know (a newer loadleak's) reads as {@link #ABORTED}. */
    public static ServedStatus fromJson(String text) {
        String w = text.trim().toLowerCase(Locale.ROOT);
        for (ServedStatus s : new ServedStatus[] {RUNNING, STOPPING, COULD_NOT_RUN}) {
            if (s.word.equals(w)) {
                return s;
            }
        }
        try {
            return of(RunStatus.fromJson(w));
        } catch (IllegalArgumentException e) {
            return ABORTED;
        }
    }

    @Override
    public String toString() {
        return word.toUpperCase(Locale.ROOT);
    }
}
