package dev.loadleak.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top command: {@code loadleak <command>}. */
@Command(name = "loadleak", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Load tester and memory-leak (soak) tester for HTTP APIs.",
            "Drives a scenario of load at an API, records latency corrected for coordinated omission, samples the "
                + "target's memory while it runs, decides whether it leaks, and scores the run against criteria: "
                + "GO, CONDITIONAL GO or NO-GO."},
        subcommands = {RunCommand.class, DemoCommand.class, ValidateCommand.class, ScoreCommand.class, ReportCommand.class,
            CompareCommand.class, MergeCommand.class, LeakCommand.class, HuntCommand.class, TargetCommand.class,
            ServeCommand.class, HistoryCommand.class, ImportCommand.class, HeapDiffCommand.class, CompletionCommand.class},
        footer = {"", "Exit codes: 0 passed, 1 criteria failed, 2 invalid input, 3 could not run, 130 interrupted."})
public class LoadleakCommand implements Runnable {
    @Option(names = {"-e", "--errors"}, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    boolean errors;
    @Option(names = "--no-color", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "No colours (also when the NO_COLOR environment variable is set).")
    boolean noColor;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
