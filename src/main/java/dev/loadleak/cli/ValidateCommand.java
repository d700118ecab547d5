package dev.loadleak.cli;

import dev.loadleak.scenario.MemoryConfig;
import dev.loadleak.scenario.Scenario;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import dev.loadleak.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak validate FILE}: every problem at once, exit 2; exit 0 when valid. Sends nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak validate scenarios/medianest-staging.yaml", "  loadleak validate scenarios/soak.yaml --strict --set defaults.timeout=3s"},
        description = "Check a scenario and print every problem with file:line:column (exit 2), or a summary (exit 0) "
                + "and what its memory sources do to the target beyond the load (forced collections, snapshots, a launch).")
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
        for (String line : effects(s.memory())) {
            spec.commandLine().getOut().println(s.redactor().redact(line));
        }
        return ExitCodes.OK;
    }

    /** What each memory source does to the target, beyond the load: one line each, for sources that do more than read. */
    static List<String> effects(MemoryConfig memory) {
        List<String> out = new ArrayList<>();
        if (memory == null) {
            return out;
        }
        for (MemoryConfig.Source src : memory.sources()) {
            List<String> does = new ArrayList<>();
            if (src instanceof MemoryConfig.Process p && p.launch() != null) {
                does.add("loadleak starts the target (launch:) before the load and stops it (SIGTERM) after");
            }
            if (src instanceof MemoryConfig.Node) {
                does.add("connects to the target's inspector, which can run code in it (serve refuses this without "
                        + "--allow-launch)");
            }
            if (src.forceGc()) {
                String every = src.forceGcEveryNanos() > 0
                        ? String.format(Locale.ROOT, ", 3 every %.0f s", src.forceGcEveryNanos() / 1e9) : "";
                does.add("makes the target collect its garbage " + (src instanceof MemoryConfig.Node
                        ? "(HeapProfiler.collectGarbage)" : "(jcmd GC.class_histogram: a full collection)")
                        + " 3 times to settle and 3 times when the scored load starts" + every
                        + ", 3 times when it ends: each one pauses the target (measured: 26-55 ms median on Node "
                        + "services, 200-300 ms round trips on a small JVM)");
            }
            if (src instanceof MemoryConfig.Process p && p.classHistogram()) {
                does.add("takes jcmd GC.class_histogram when the scored load starts and ends: each is a full "
                        + "collection, a pause");
            }
            if (src instanceof MemoryConfig.Node n && n.heapSnapshot()) {
                does.add("takes 2 V8 heap snapshots (the target stops while one is written: seconds on a large heap) "
                        + "into heap-" + n.name() + "-start/end.heapsnapshot beside the result: those files hold the "
                        + "target's data (strings, sessions); loadleak prints only type and property names");
            }
            if (!does.isEmpty()) {
                out.add("  memory " + src.name() + ": " + String.join("; ", does));
            }
        }
        return out;
    }
}
