package dev.loadleak.cli;

import dev.loadleak.report.Reports;
import dev.loadleak.result.RunResult;
import dev.loadleak.run.Journal;
import dev.loadleak.run.JournalReplay;
import dev.loadleak.scenario.Confinement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loadleak report RESULT.json --format html}: re-render a saved run; {@code loadleak report DIR}:
 * the same for a run's directory, rebuilding its result first from the run's journal when the
 * run was killed before it could write one.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak report results/result.json --format html -o report.html",
            "  loadleak report results/result.json --format md >> \"$GITHUB_STEP_SUMMARY\"",
            "  loadleak report results   # a run killed with SIGKILL: rebuilds results/result.json (status aborted)"},
        description = {"Render a saved result.json as html, junit, md, csv, hlog, text or json.",
            "Given a run's directory without a result.json (the run was killed, or the machine lost), it rebuilds "
                + "the result from the run's journal (journal.jsonl, written each second), marks it aborted, and "
                + "writes result.json and the reports there first."})
public class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "RESULT", description = "A result.json written by loadleak run, or a run's directory.")
    Path resultFile;
    @Option(names = {"-f", "--format"}, defaultValue = "text", description = "html, junit, md, csv, hlog, text or json "
            + "(default ${DEFAULT-VALUE}).")
    String format;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    public Integer call() {
        if (!Reports.FORMATS.contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format " + format + " is not one of " + Reports.FORMATS);
        }
        RunResult r = Files.isDirectory(resultFile) ? fromDirectory(resultFile) : ScoreCommand.readResult(resultFile);
        String text = Reports.render(r, format);
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            try {
                Files.writeString(output, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "cannot write " + output + ": " + e.getMessage());
            }
            spec.commandLine().getOut().println("wrote " + output);
        }
        return ExitCodes.OK;
    }

    /** The directory's result.json, or one rebuilt from its journal (and written there with the reports). */
    private RunResult fromDirectory(Path dir) {
        Path result = dir.resolve("result.json");
        if (Files.exists(result)) {
            return ScoreCommand.readResult(result);
        }
        JournalReplay.Rebuilt rebuilt;
        try {
            rebuilt = JournalReplay.rebuild(dir, System::getenv, Confinement.NONE);
        } catch (JournalReplay.NotRebuildable e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, e.getMessage());
        }
        Map<Path, String> failed = Reports.saveAll(rebuilt.result(), result, dir, rebuilt.scenario().redactor());
        var err = spec.commandLine().getErr();
        err.println("rebuilt " + result + " from " + dir.resolve(Journal.FILE) + ": " + rebuilt.result().failure());
        failed.forEach((f, why) -> err.println("warning: could not write " + f + ": " + why));
        err.flush();
        return rebuilt.result();
    }
}
