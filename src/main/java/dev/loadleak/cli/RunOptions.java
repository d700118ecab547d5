package dev.loadleak.cli;

import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Option;

/** The flags of the commands that run load ({@code run}, {@code demo}). */
public class RunOptions {
    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for result.json and the reports (default loadleak-results/<UTC timestamp>).")
    Path out;
    @Option(names = {"-q", "--quiet"}, description = "No live progress lines.")
    boolean quiet;
    @Option(names = "--strict", description = "Exit 1 on CONDITIONAL GO too (target criteria failed).")
    boolean strict;
    @Option(names = "--event-loops", paramLabel = "N", description = "Event loops that send (default: one per core).")
    int eventLoops = Runtime.getRuntime().availableProcessors();

    RunExecutor.Options toExecutorOptions() {
        return new RunExecutor.Options(out != null ? out : RunExecutor.defaultOutDir(Instant.now()), quiet, strict,
                VersionProvider.version(), Math.max(1, eventLoops));
    }
}
