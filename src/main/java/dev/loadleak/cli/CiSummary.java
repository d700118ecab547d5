package dev.loadleak.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * GitHub Actions: a command's Markdown summary appended to the job's page ({@code $GITHUB_STEP_SUMMARY}),
 * and failed criteria and regressions as {@code ::error} / {@code ::warning} annotations (only when
 * {@code GITHUB_ACTIONS=true}, so that other terminals see no workflow commands).
 */
final class CiSummary {
    /** Where the variables are read: the process environment (a test gives its own). */
    static volatile Function<String, String> env = System::getenv;

    private CiSummary() {
    }

    static void append(String markdown, PrintWriter err) {
        append(env, markdown, err);
    }

    static void annotate(PrintWriter out, boolean error, String title, String message) {
        annotate(env, out, error, title, message);
    }

    /** Appends {@code markdown} to the step summary when the variable names a file; a failure is a warning. */
    static void append(Function<String, String> env, String markdown, PrintWriter err) {
        String file = env.apply("GITHUB_STEP_SUMMARY");
        if (file == null || file.isBlank() || markdown == null || markdown.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(file), markdown.endsWith("\n") ? markdown + "\n" : markdown + "\n\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            err.println("warning: could not append to $GITHUB_STEP_SUMMARY (" + file + "): " + e.getMessage());
        }
    }

    /** {@code ::error title=…::message} (or warning) when running in GitHub Actions. */
    static void annotate(Function<String, String> env, PrintWriter out, boolean error, String title, String message) {
        if (!"true".equals(env.apply("GITHUB_ACTIONS"))) {
            return;
        }
        out.println("::" + (error ? "error" : "warning") + " title=" + escapeProperty(title) + "::" + escapeData(message));
        out.flush();
    }

    /** Workflow-command data: %, CR and LF escaped. */
    static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A property value: also : and , escaped. */
    static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }
}
