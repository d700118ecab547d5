package dev.loadleak.cli;

import java.io.PrintWriter;

/**
 * Live progress output: on a terminal the line is rewritten in place; when stderr is a file or a
 * pipe (CI logs), one plain line per second.
 */
final class Terminal {
    private final PrintWriter err;
    private final boolean interactive;
    private boolean open;

    Terminal(PrintWriter err) {
        this.err = err;
        this.interactive = isTerminal();
    }

    synchronized void progress(String line) {
        if (interactive) {
            err.print("\r\u001b[2K" + line);
            open = true;
        } else {
            err.println(line);
        }
        err.flush();
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
