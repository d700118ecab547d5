package dev.loadleak.cli;

import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Problem;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak run SCENARIO.yaml}: drive a scenario's load at its target and write the result. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a scenario against its target, print a summary and write result.json.")
public class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Inject
    Vertx vertx;

    @Parameters(paramLabel = "SCENARIO", description = "Scenario file (YAML or JSON).")
    Path scenarioFile;
    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for result.json (default loadleak-results/<UTC timestamp>).")
    Path out;
    @Option(names = "--target", paramLabel = "URL", description = "Override the scenario's target base URL.")
    URI target;
    @Option(names = {"-q", "--quiet"}, description = "No live progress lines.")
    boolean quiet;

    @Override
    public Integer call() {
        Scenario s = load(scenarioFile, spec.commandLine().getErr());
        if (target != null) {
            if (target.getScheme() == null || target.getHost() == null) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "--target " + target + " is not an http(s) URL");
            }
            s = s.withTarget(target);
        }
        return new RunExecutor(vertx, spec.commandLine().getOut(), spec.commandLine().getErr(), quiet)
                .execute(s, out != null ? out : RunExecutor.defaultOutDir(Instant.now()));
    }

    /** Loads and validates a scenario; on problems prints every one of them and exits 2. */
    static Scenario load(Path file, PrintWriter err) {
        try {
            return ScenarioLoader.load(file);
        } catch (InvalidScenarioException e) {
            for (Problem p : e.problems()) {
                err.println(p);
            }
            throw new LoadleakException(ExitCodes.INVALID_INPUT, e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + " in " + file);
        }
    }
}
