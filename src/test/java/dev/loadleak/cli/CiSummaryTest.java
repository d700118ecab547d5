package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.history.HistoryFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** In GitHub Actions: the step summary gets the Markdown, a regression becomes an ::error annotation; elsewhere neither. */
class CiSummaryTest {
    @TempDir
    Path tmp;

    @AfterEach
    void restore() {
        CiSummary.env = System::getenv;
    }

    private Path history(int before, int after) {
        Path h = tmp.resolve("h.db");
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < before + after; i++) {
            long p95 = (i < before ? 5000 : 8000) + (i % 3) * 40;
            HistoryCommand.record(h, HistoryFixtures.result("gate", t.plusSeconds(3600L * i).toString(), p95),
                    Map.of("commit", "abc" + i), null);
        }
        return h;
    }

    private String check(Path h, Function<String, String> env) {
        CiSummary.env = env;
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new LoadleakCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        assertEquals(1, cl.execute("history", "check", h.toString(), "--metrics", "p95"), out.toString());
        return out.toString();
    }

    @Test
    void aRegressionIsAnErrorAnnotationAndTheSummaryIsAppended() throws Exception {
        Path h = history(10, 4);
        Path summary = Files.writeString(tmp.resolve("summary.md"), "earlier step\n");
        String out = check(h, Map.of("GITHUB_ACTIONS", "true", "GITHUB_STEP_SUMMARY", summary.toString())::get);
        assertTrue(out.contains("::error title=loadleak history%3A regression::gate p95: "), out);
        assertTrue(out.contains("at run 11 of 14"), out);
        String md = Files.readString(summary);
        assertTrue(md.startsWith("earlier step\n### loadleak history check"), md);
        assertTrue(md.contains("- ❌ gate p95") && md.contains("commit abc10"), md);
    }

    @Test
    void outsideGithubActionsNothingIsWrittenOrAnnotated() {
        String out = check(history(10, 4), Map.<String, String>of()::get);
        assertFalse(out.contains("::error"), out);
    }

    @Test
    void workflowCommandDataIsEscaped() {
        assertEquals("100%25 of 2%0Alines", CiSummary.escapeData("100% of 2\nlines"));
        assertEquals("a%3A b%2C c", CiSummary.escapeProperty("a: b, c"));
    }
}
