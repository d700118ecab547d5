package dev.loadleak.cli;

import dev.loadleak.engine.client.Clients;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import dev.loadleak.serve.ManagedRun;
import dev.loadleak.serve.RunService;
import dev.loadleak.serve.ServedStatus;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
    @Option(names = "--dashboard", arity = "0..1", paramLabel = "PORT", parameterConsumer = DashboardPort.class,
            description = "Serve the live dashboard of this run on 127.0.0.1 (PORT, or a free one) while it runs, "
                    + "and print its URL.")
    Integer dashboard;
    @Inject
    RunService service;

    @Override
    public Integer call() throws java.io.IOException {
        Scenario s = load(scenarioFile, scenarioOptions.loaderOptions(), spec.commandLine().getErr());
        if (dashboard == null) {
            return RunLauncher.launch(vertx, s, runOptions, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("loadleak-dashboard");
        service.configure(new RunService.Config(data, 1, null, 1 << 20, VersionProvider.version(),
                Math.max(0, runOptions.eventLoops)));
        ManagedRun live = service.attach(s, runOptions.outDir());
        spec.commandLine().getOut().println("dashboard: http://127.0.0.1:" + HttpPort.actual() + "/#" + live.id()
                + " (while the run goes on)");
        spec.commandLine().getOut().flush();
        int code;
        try {
            code = RunLauncher.launch(vertx, Clients.STANDARD, s, runOptions,
                    spec.commandLine().getOut(), spec.commandLine().getErr(), live);
        } catch (RuntimeException e) {
            live.end(ServedStatus.COULD_NOT_RUN, e.getMessage());
            throw e;
        }
        live.end(live.result() == null ? ServedStatus.FAILED : ServedStatus.of(live.result().status()),
                live.result() == null ? null : live.result().failure());
        try {
            Thread.sleep(1000); // the page receives the end event before the process goes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return code;
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
