package dev.loadleak.cli;

import dev.loadleak.report.ConsoleSummary;
import dev.loadleak.result.RunResult;
import dev.loadleak.run.LiveSnapshot;
import dev.loadleak.run.RunListener;
import dev.loadleak.scenario.Printable;
import dev.loadleak.scenario.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** What a CLI run prints: the live line on stderr, the summary and where the result went on stdout. */
final class ConsoleRunListener implements RunListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quiet;
    private final Redactor redactor;
    private final Terminal term;

    ConsoleRunListener(PrintWriter out, PrintWriter err, boolean quiet, Redactor redactor) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
        this.redactor = redactor;
        this.term = new Terminal(err);
    }

    @Override
    public void starting(String description) {
        if (!quiet) {
            err.println(description);
            err.flush();
        }
    }

    @Override
    public void live(LiveSnapshot now) {
        if (!quiet) {
            term.progress(now);
        }
    }

    @Override
    public void loadEnded() {
        term.endProgress();
    }

    @Override
    public void finished(RunResult result) {
        StringWriter summary = new StringWriter();
        ConsoleSummary.render(result, new PrintWriter(summary));
        out.print(term.colorVerdict(Printable.clean(redactor.redact(summary.toString()))));
        out.flush();
    }

    @Override
    public void written(Path resultFile, Map<Path, String> failed) {
        if (failed.isEmpty()) {
            out.println("result: " + resultFile + " (and report.html, junit.xml, summary.md, timeline.csv, *.hlog)");
            out.flush();
            return;
        }
        failed.forEach((file, why) -> err.println("error: could not write " + file + ": " + why));
        if (failed.containsKey(resultFile)) {
            err.println("error: the result was not saved; the summary above is what this run measured");
        } else {
            out.println("result: " + resultFile + " (some reports could not be written: see the errors)");
        }
        out.flush();
        err.flush();
    }

    @Override
    public void warning(String message) {
        err.println("warning: " + Printable.clean(message));
        err.flush();
    }

    @Override
    public void flush() {
        out.flush();
        err.flush();
    }
}
