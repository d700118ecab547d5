package dev.loadleak.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Problem;
import dev.loadleak.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios of about 1 MB (serve's default --max-body) written to hurt: a line that made the error
 * hint's regular expressions quadratic, thousands of phases, phases × requests that would ask for
 * gigabytes of histograms, deep nesting, alias bombs. Each is a clear problem naming its place; the
 * time bound only guards against a hang (the quadratic line took minutes), it measures nothing.
 */
class HostileScenarioTest {
    private static final String HEAD = "target: http://127.0.0.1:8080\n";
    private static final Duration HANG = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private List<Problem> problems(String yaml) {
        return assertTimeoutPreemptively(HANG, () -> assertThrows(InvalidScenarioException.class,
                () -> ScenarioLoader.parse("hostile.yaml", yaml, new ScenarioLoader.Options(Map.<String, String>of()::get,
                        List.of(), false), tmp)).problems());
    }

    @Test
    void aMegabyteLineForTheYamlHint() {
        // no word before a '{': the old hint's regular expressions backtracked over every '[' (20,000 pairs: 4.3 s)
        String line = "name: " + "[{".repeat(500_000) + " }\n";
        List<Problem> p = problems(HEAD + line);
        assertTrue(p.get(0).message().startsWith("not valid YAML"), p.toString());
        assertEquals(2, p.get(0).line(), p.toString());
        String unclosed = "requests: [{path: /, headers: {" + "x".repeat(1_000_000) + "\n";
        assertTrue(problems(HEAD + unclosed).get(0).message().startsWith("not valid YAML"));
    }

    @Test
    void tensOfThousandsOfPhases() {
        String phases = "phases:\n" + "  - {duration: 1s, rate: 1/s}\n".repeat(35_000);
        List<Problem> p = problems(HEAD + phases + "requests: [{path: /}]\n");
        assertEquals("phases", p.get(0).path(), p.toString());
        assertTrue(p.get(0).message().contains("35000 phases, more than the 100"), p.toString());
    }

    @Test
    void phasesTimesRequestsThatWouldAskForGigabytes() {
        StringBuilder b = new StringBuilder(HEAD + "phases:\n");
        for (int i = 0; i < 100; i++) {
            b.append("  - {name: p").append(i).append(", duration: 1s, rate: 1/s}\n");
        }
        b.append("requests:\n");
        for (int i = 0; i < 500; i++) {
            b.append("  - {name: r").append(i).append(", path: /").append(i).append("}\n");
        }
        List<Problem> p = problems(b.toString());
        assertTrue(p.get(0).message().contains("100 phases × 500 requests are 50000 cells, more than the 1000"),
                p.toString());
        assertEquals(3, p.get(0).line(), "points at phases: " + p);
    }

    @Test
    void flowsWithTooManySteps() {
        String steps = "  - {name: f, steps: [" + "{path: /}, ".repeat(300) + "{path: /}]}\n";
        List<Problem> p = problems(HEAD + "phases: [{duration: 1s, concurrency: 1}]\nflows:\n" + steps);
        assertEquals("flows[0].steps", p.get(0).path(), p.toString());
    }

    @Test
    void deepNestingAndAliasBombs() {
        String deep = "name: " + "[".repeat(200_000) + "]".repeat(200_000) + "\n";
        assertTrue(problems(HEAD + deep).size() >= 1);
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev).append(", *")
                    .append(prev).append(", *").append(prev).append(", *").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
        }
        assertTrue(problems(HEAD + bomb).size() >= 1);
    }
}
