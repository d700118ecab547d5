package dev.loadleak.cli;

import dev.loadleak.scenario.Scenario;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak validate FILE}: every problem at once, exit 2; exit 0 when valid. Sends nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a scenario and print every problem with file:line:column (exit 2), or a summary (exit 0).")
public class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "SCENARIO", description = "Scenario file (YAML or JSON).")
    Path file;
    @Mixin
    ScenarioOptions scenarioOptions;

    @Override
    public Integer call() {
        Scenario s = RunCommand.load(file, scenarioOptions.loaderOptions(), spec.commandLine().getErr());
        spec.commandLine().getOut().println(s.redactor().redact(String.format("%s: valid — %s against %s: %d phase%s (%.0f s), "
                + "%d request%s, %d criteri%s%s", file, s.name(), s.target(), s.phases().size(),
                s.phases().size() == 1 ? "" : "s", s.totalDurationNanos() / 1e9, s.requests().size(),
                s.requests().size() == 1 ? "" : "s", s.criteria().size(), s.criteria().size() == 1 ? "on" : "a",
                s.memory() == null ? "" : ", " + s.memory().sources().size() + " memory source"
                        + (s.memory().sources().size() == 1 ? "" : "s"))));
        return ExitCodes.OK;
    }
}
