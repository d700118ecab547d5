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

    /**
     * How the process ended ("the launched target (pid 123) exited: killed by signal 9 (KILL)"), or
     * null while it runs. A zombie not yet reaped counts as ended.
     */
    public String ended() {
        if (process.isAlive() && !zombie()) {
            return null;
        }
        String how;
        try {
            int code = process.waitFor(100, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
            how = code < 0 ? "exited" : code > 128 && code < 160 ? "exited: killed by signal " + (code - 128)
                    + (code == 137 ? " (KILL)" : code == 143 ? " (TERM)" : "") : "exited with code " + code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            how = "exited";
        }
        return "the launched target (pid " + process.pid() + ") " + how;
    }

    private boolean zombie() {
        try {
            return java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .anyMatch(Probes::exitedState);
        } catch (IOException | RuntimeException e) {
            return !process.isAlive();
        }
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
