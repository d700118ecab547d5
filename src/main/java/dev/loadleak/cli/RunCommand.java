package dev.loadleak.cli;

import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak run SCENARIO.yaml}: drive a scenario's load at its target and write the result. */
@Command(name = "run", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak run scenarios/smoke.yaml --target http://127.0.0.1:8080", "  loadleak run scenarios/soak.yaml --out results --set phases[1].duration=2h --strict"},
        description = "Run a scenario against its target, print a summary and write result.json.")
public class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Inject
    Vertx vertx;
    @Mixin
    RunOptions runOptions;

    @Parameters(paramLabel = "SCENARIO", description = "Scenario file (YAML or JSON).")
    Path scenarioFile;
    @Mixin
    ScenarioOptions scenarioOptions;

    @Override
    public Integer call() {
        Scenario s = load(scenarioFile, scenarioOptions.loaderOptions(), spec.commandLine().getErr());
        return RunLauncher.launch(vertx, s, runOptions, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Loads and validates a scenario; on problems prints every one of them and exits 2. */
    static Scenario load(Path file, ScenarioLoader.Options options, PrintWriter err) {
        try {
            return ScenarioLoader.load(file, options);
        } catch (InvalidScenarioException e) {
            throw Problems.report(e, file.toString(), err);
        }
    }
}
