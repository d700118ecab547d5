package dev.loadleak.run;

import dev.loadleak.analysis.RunResult;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.metrics.TimelinePoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Tells two listeners everything, the first first (e.g. the console and a run's live dashboard). */
public record BothListeners(RunListener first, RunListener second) implements RunListener {
    @Override
    public void starting(String description) {
        first.starting(description);
        second.starting(description);
    }

    @Override
    public void second(TimelinePoint point, long elapsedSeconds, long totalSeconds, String pace, long totalErrors) {
        first.second(point, elapsedSeconds, totalSeconds, pace, totalErrors);
        second.second(point, elapsedSeconds, totalSeconds, pace, totalErrors);
    }

    @Override
    public void collecting(Collector collector, List<String> requests, double warmupEndSeconds) {
        first.collecting(collector, requests, warmupEndSeconds);
        second.collecting(collector, requests, warmupEndSeconds);
    }

    @Override
    public void scoring(java.util.function.Supplier<RunResult> soFar) {
        first.scoring(soFar);
        second.scoring(soFar);
    }

    @Override
    public void sampling(MemorySampler sampler) {
        first.sampling(sampler);
        second.sampling(sampler);
    }

    @Override
    public void loadEnded() {
        first.loadEnded();
        second.loadEnded();
    }

    @Override
    public void finished(RunResult result) {
        first.finished(result);
        second.finished(result);
    }

    @Override
    public void written(Path resultFile, Map<Path, String> failed) {
        first.written(resultFile, failed);
        second.written(resultFile, failed);
    }

    @Override
    public void flush() {
        first.flush();
        second.flush();
    }

    @Override
    public void warning(String message) {
        first.warning(message);
        second.warning(message);
    }
}
