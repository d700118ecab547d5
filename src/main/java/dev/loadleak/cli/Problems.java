package dev.loadleak.cli;

import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Problem;
import java.io.PrintWriter;

/** Scenario and criteria problems, printed one way by every command: each on its line, then a count (exit 2). */
final class Problems {
    private Problems() {
    }

    /** Prints every problem of {@code e} to {@code err}; returns the exit-2 failure that names {@code where}. */
    static LoadleakException report(InvalidScenarioException e, String where, PrintWriter err) {
        for (Problem p : e.problems()) {
            err.println(p);
        }
        err.flush();
        int n = e.problems().size();
        return new LoadleakException(ExitCodes.INVALID_INPUT, n + " problem" + (n == 1 ? "" : "s") + " in " + where);
    }
}
