package dev.loadleak.cli;

import dev.loadleak.analysis.RunResult;
import dev.loadleak.report.Reports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak report RESULT.json --format html}: re-render a saved run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak report results/result.json --format html -o report.html", "  loadleak report results/result.json --format md >> \"$GITHUB_STEP_SUMMARY\""},
        description = "Render a saved result.json as html, junit, md, csv, hlog, text or json.")
public class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "RESULT", description = "A result.json written by loadleak run.")
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
        RunResult r = ScoreCommand.readResult(resultFile);
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
}
