package dev.loadleak.cli;

import dev.loadleak.scenario.Overrides;
import dev.loadleak.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags that shape how a scenario is loaded: overrides and limits. */
public class ScenarioOptions {
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a scenario key, e.g. --set defaults.timeout=3s --set phases[0].rate=50/s.")
    List<String> sets = new ArrayList<>();
    @Option(names = "--target", paramLabel = "URL", description = "Override the scenario's target base URL.")
    String target;
    @Option(names = "--allow-long", description = "Allow phases longer than a week.")
    boolean allowLong;

    ScenarioLoader.Options loaderOptions() {
        return new ScenarioLoader.Options(System::getenv, Overrides.layered(System::getenv, target, sets), allowLong);
    }
}
