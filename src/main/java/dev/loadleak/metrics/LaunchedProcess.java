package dev.loadleak.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A target process that loadleak starts for a {@code process} memory source ({@code launch:}),
 * samples, and stops at the end. Its output goes to a log file beside the results. The command
 * runs as {@code sh -c "exec COMMAND"}, so the sampled pid is the program's own, not a shell's.
 */
public final class LaunchedProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private LaunchedProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static LaunchedProcess start(String command, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", "exec " + command))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new LaunchedProcess(pb.start(), log);
    }

    public long pid() {
        return process.isAlive() ? process.pid() : 0;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
