package dev.loadleak.run;

import dev.loadleak.result.RunResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * Watches a run: the CLI prints from these calls (progress line, summary, where the result went),
 * the service would stream them. Called from the run's threads; implementations must not block.
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    /** Load is about to start: a one-line description of what will be sent. */
    default void starting(String description) {
    }

    /**
     * One more second of the run was collected: what the run is now, the one value every live view renders (the
     * progress line, serve's events and /metrics, the exporters). Its {@code pace} is what the load aims at, e.g.
     * "intended 200/s", "max", "20 users".
     */
    default void live(LiveSnapshot now) {
    }

    /**
     * Whether this listener reads the run scored so far ({@link LiveSnapshot#scored}): a live dashboard or an
     * exporter does, a progress line does not. Without one that does (nor abortOnFail), the run is not scored
     * while it runs: an assembly of the whole result every few seconds is not spent on nobody.
     */
    default boolean readsScoring() {
        return false;
    }

    /** No more load: the run is being assembled. */
    default void loadEnded() {
    }

    /** The run's scored result, before it is written. */
    default void finished(RunResult result) {
    }

    /** The result was written to {@code resultFile}; {@code failed} names each file that could not be, with why. */
    default void written(Path resultFile, Map<Path, String> failed) {
    }

    /** The process is about to end (a signal): push out what was printed. */
    default void flush() {
    }

    /** Something the user should know that is not part of the result (e.g. no .hlog files). */
    default void warning(String message) {
    }
}
