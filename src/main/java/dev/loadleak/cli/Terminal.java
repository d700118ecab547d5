package dev.loadleak.cli;

import dev.loadleak.report.ProgressLine;
import dev.loadleak.run.LiveSnapshot;
import java.io.PrintWriter;

/**
 * Live progress output: on a terminal the line is rewritten in place; when stderr is a file or a
 * pipe (CI logs), one plain line per second.
 */
final class Terminal {
    /** False with --no-color or NO_COLOR; set once per command line by {@link Cli}. */
    static volatile boolean colorAllowed = true;
    private final PrintWriter err;
    private final boolean interactive;
    private boolean open;

    Terminal(PrintWriter err) {
        this(err, isTerminal());
    }

    Terminal(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    boolean color() {
        return interactive && colorAllowed;
    }

    /** The progress line of the run's second {@code now}: the console's, and each of hunt's segments'. */
    void progress(LiveSnapshot now) {
        progress(now.elapsedSeconds(), now.totalSeconds(), ProgressLine.format(now.point(), now.elapsedSeconds(),
                now.totalSeconds(), now.pace(), now.totalErrors()));
    }

    /**
     * On a terminal: a progress bar with the share done and the time left, then {@code line},
     * rewritten in place; otherwise {@code line} alone, one per call.
     */
    synchronized void progress(long elapsedSeconds, long totalSeconds, String line) {
        if (interactive) {
            err.print("\r\u001b[2K" + bar(elapsedSeconds, totalSeconds, color()) + " " + line);
            open = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** {@code [#######-------------]  35% ETA 0:19}: 20 cells, the remaining time as h:mm:ss or m:ss. */
    static String bar(long elapsed, long total, boolean color) {
        double share = total <= 0 ? 1 : Math.min(1, Math.max(0, (double) elapsed / total));
        int cells = (int) Math.round(share * 20);
        long left = Math.max(0, total - elapsed);
        String eta = left >= 3600 ? String.format("%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60)
                : String.format("%d:%02d", left / 60, left % 60);
        String filled = "#".repeat(cells);
        String rest = "-".repeat(20 - cells);
        return "[" + (color ? "\u001b[32m" + filled + "\u001b[0m" : filled) + rest + "] "
                + String.format("%3d%%", Math.round(share * 100)) + " ETA " + eta;
    }

    /** The verdict line in colour on a terminal (green GO, yellow CONDITIONAL GO, red NO-GO). */
    String colorVerdict(String summary) {
        if (!color()) {
            return summary;
        }
        return summary.replaceAll("(?m)^  (PASS) ", "  \u001b[32m$1\u001b[0m ")
                .replaceAll("(?m)^  (FAIL) ", "  \u001b[31m$1\u001b[0m ")
                .replaceAll("(?m)^  (INCONCLUSIVE) ", "  \u001b[33m$1\u001b[0m ")
                .replaceAll("(?m)^verdict: (NO-GO)(.*)$", "verdict: \u001b[1;31m$1\u001b[0m$2")
                .replaceAll("(?m)^verdict: (CONDITIONAL GO)(.*)$", "verdict: \u001b[1;33m$1\u001b[0m$2")
                .replaceAll("(?m)^verdict: (GO)(.*)$", "verdict: \u001b[1;32m$1\u001b[0m$2");
    }

    synchronized void endProgress() {
        if (open) {
            err.println();
            err.flush();
            open = false;
        }
    }

    static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Java 22+ returns a Console even when redirected; isTerminal() tells the truth there
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
