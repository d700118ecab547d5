package dev.loadleak.cli;

import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import dev.loadleak.scenario.Units;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code loadleak demo}: the built-in target in-process on a free port, and scenarios/demo.yaml against it. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak demo", "  loadleak demo --duration 10s --out /tmp/demo"},
        description = {"Start the built-in target on a free 127.0.0.1 port, as a process of its own with a small heap, "
            + "and run scenarios/demo.yaml against it for 30 s.",
            "The target retains " + DemoCommand.LEAK + " per create-media request (" + DemoCommand.LEAK_ROUTE + "): the "
                + "demo finds that leak, and ends CONDITIONAL GO (exit 0: the memory criterion is a target one); "
                + "--no-leak ends GO."})
public class DemoCommand implements Callable<Integer> {
    static final String SCENARIO = "scenarios/demo.yaml";

    @Spec
    CommandSpec spec;
    @Inject
    Vertx vertx;

    @Mixin
    RunOptions runOptions;

    @Option(names = "--duration", defaultValue = "30s", description = "How long to run (default ${DEFAULT-VALUE}).")
    String duration;
    @Option(names = "--no-leak", description = "A target that does not leak: the demo then ends GO.")
    boolean noLeak;

    /** What the demo target retains per create-media request (the one route that leaks). */
    static final String LEAK = "10KB";
    static final String LEAK_ROUTE = "POST /api/v1/media";

    @Override
    public Integer call() {
        long nanos;
        try {
            nanos = Units.parseDurationNanos(duration);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--duration: " + e.getMessage());
        }
        if (nanos < 1_000_000_000L) {
            throw new ParameterException(spec.commandLine(), "--duration must be at least 1s");
        }
        List<String> knobs = noLeak ? List.of() : List.of("--leak", LEAK, "--leak-route", LEAK_ROUTE);
        List<String> self = DemoTarget.self();
        if (self == null) {
            // not a packaged build (tests, dev mode): the target in this process, without its leak (its heap
            // would be loadleak's own)
            URI target = URI.create("http://127.0.0.1:" + HttpPort.actual());
            spec.commandLine().getErr().println("demo target listening on " + target + " (in this process, without "
                    + "the leak: this is not a packaged build)");
            return run(target, nanos);
        }
        try (DemoTarget t = DemoTarget.start(self, knobs, runOptions.outDir().resolve("demo-target.log"))) {
            spec.commandLine().getErr().println("demo target listening on " + t.url + " (its own process, "
                    + String.join(" ", DemoTarget.HEAP) + (noLeak ? "" : "; it retains " + LEAK + " per " + LEAK_ROUTE
                    + " request") + ")");
            return run(t.url, nanos);
        } catch (java.io.IOException e) {
            throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "cannot start the demo target: " + e.getMessage());
        }
    }

    private int run(URI target, long nanos) {
        Scenario s = bundledScenario().withTarget(target).withDurationNanos(nanos);
        return RunLauncher.launch(vertx, s, runOptions, spec.commandLine().getOut(), spec.commandLine().getErr());
    }


    static Scenario bundledScenario() {
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(SCENARIO)) {
            if (in == null) {
                throw new LoadleakException(ExitCodes.COULD_NOT_RUN, SCENARIO + " is missing from this build");
            }
            return ScenarioLoader.parse(SCENARIO, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | InvalidScenarioException e) {
            throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "the bundled " + SCENARIO + " is broken: " + e.getMessage());
        }
    }
}
