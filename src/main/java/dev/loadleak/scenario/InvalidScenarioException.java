package dev.loadleak.scenario;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a scenario, all at once; the CLI prints them and exits 2. */
public final class InvalidScenarioException extends Exception {
    private final List<Problem> problems;

    public InvalidScenarioException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
