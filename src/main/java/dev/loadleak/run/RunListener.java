package dev.loadleak.run;

import dev.loadleak.analysis.RunResult;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.metrics.TimelinePoint;
import java.nio.file.Path;
import java.util.List;
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
     * One more second of the run was collected.
     *
     * @param pace what the load aims at in that second, e.g. "intended 200/s", "max", "20 users"
     */
    default void second(TimelinePoint point, long elapsedSeconds, long totalSeconds, String pace, long totalErrors) {
    }

    /**
     * The run's figures are collected by {@code collector} (a live view may read its totals, which are
     * per phase and request: {@code requests} names them in order; {@code warmupEndSeconds} is where
     * the leak analysis starts).
     */
    default void collecting(Collector collector, List<String> requests, double warmupEndSeconds) {
    }

    /**
     * The run scored as it stands can be had from {@code soFar}: its figures over the part that
     * ran, each criterion's outcome, the leak analysis of the samples so far. It assembles a whole
     * result: a live view calls it every few seconds, not more.
     */
    default void scoring(java.util.function.Supplier<RunResult> soFar) {
    }

    /** The target's memory is sampled by {@code sampler} from now on (a live view may read its series). */
    default void sampling(MemorySampler sampler) {
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
