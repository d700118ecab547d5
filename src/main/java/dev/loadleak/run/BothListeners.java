package dev.loadleak.run;

import dev.loadleak.result.RunResult;
import java.nio.file.Path;
import java.util.Map;

/** Tells two listeners everything, the first first (e.g. the console and a run's live dashboard). */
public record BothListeners(RunListener first, RunListener second) implements RunListener {
    @Override
    public void starting(String description) {
        first.starting(description);
        second.starting(description);
    }

    @Override
    public boolean readsScoring() {
        return first.readsScoring() || second.readsScoring();
    }

    @Override
    public void live(LiveSnapshot now) {
        first.live(now);
        second.live(now);
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
