package dev.loadleak.cli;

import dev.loadleak.scenario.Scenario;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import dev.loadleak.scenario.ScenarioLoader;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak validate FILE}: every problem at once, exit 2; exit 0 when valid. Sends nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak validate scenarios/medianest-staging.yaml", "  loadleak validate scenarios/soak.yaml --strict --set defaults.timeout=3s"},
        description = "Check a scenario and print every problem with file:line:column (exit 2), or a summary (exit 0).")
public class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "SCENARIO", description = "Scenario file (YAML or JSON).")
    Path file;
    @Mixin
    ScenarioOptions scenarioOptions;
    @Option(names = "--strict", description = "Environment variables that are not set are errors (exit 2), as for run.")
    boolean strict;

    @Override
    public Integer call() {
        Set<String> missing = new LinkedHashSet<>();
        ScenarioLoader.Options options = strict ? scenarioOptions.loaderOptions()
                : scenarioOptions.loaderOptions().toleratingMissingEnv(missing::add);
        Scenario s = RunCommand.load(file, options, spec.commandLine().getErr());
        for (String name : missing) {
            spec.commandLine().getErr().println("warning: environment variable " + name + " is not set: 'run' will "
                    + "refuse to start without it (--strict makes this an error)");
        }
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(s.redactor().redact(String.format("%s: valid — %s against %s: %d phase%s (%.0f s), "
                + "%d request%s, %d criteri%s%s", file, s.name(), s.target(), s.phases().size(),
                s.phases().size() == 1 ? "" : "s", s.totalDurationNanos() / 1e9, s.requests().size(),
                s.requests().size() == 1 ? "" : "s", s.criteria().size(), s.criteria().size() == 1 ? "on" : "a",
                s.memory() == null ? "" : ", " + s.memory().sources().size() + " memory source"
                        + (s.memory().sources().size() == 1 ? "" : "s"))));
        return ExitCodes.OK;
    }
}
