package dev.loadleak.cli;

import dev.loadleak.engine.TransportFactory;
import dev.loadleak.engine.client.Clients;
import dev.loadleak.export.LiveExporter;
import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.run.BothListeners;
import dev.loadleak.run.RunFailure;
import dev.loadleak.run.RunListener;
import dev.loadleak.run.RunOutcome;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs a scenario for {@code run} and {@code demo}: a {@link RunSession} printed to the console, its outcome as an exit code. */
final class RunLauncher {
    private RunLauncher() {
    }

    static int launch(Vertx vertx, Scenario scenario, RunOptions opts, PrintWriter out, PrintWriter err) {
        return launch(vertx, Clients.STANDARD, scenario, opts, out, err);
    }

    static int launch(Vertx vertx, TransportFactory transports, Scenario scenario, RunOptions opts, PrintWriter out,
                      PrintWriter err) {
        return launch(vertx, transports, scenario, opts, out, err, null);
    }

    /** With {@code also} (e.g. the live dashboard's run) told everything the console is, or null. */
    static int launch(Vertx vertx, TransportFactory transports, Scenario scenario, RunOptions opts, PrintWriter out,
                      PrintWriter err, RunListener also) {
        RunSession.Settings settings = new RunSession.Settings(opts.outDir(), VersionProvider.version(),
                Math.max(0, opts.eventLoops), opts.shard, ExitCodes.INTERRUPTED, opts.prewarmNanos(), opts.transport);
        RunListener console = new ConsoleRunListener(out, err, opts.quiet, scenario.redactor());
        RunListener listener = also == null ? console : new BothListeners(console, also);
        List<LiveExporter> exporters = opts.exporters(String.valueOf(opts.outDir().getFileName()),
                scenario.name(), scenario.redactor());
        for (LiveExporter x : exporters) {
            listener = new BothListeners(listener, x);
        }
        RunSession session = new RunSession(scenario, settings, vertx, transports, listener);
        RunOutcome outcome;
        try {
            outcome = session.execute();
        } catch (RunFailure f) {
            throw new LoadleakException(ExitCodes.of(f.kind()), f.getMessage());
        }
        for (Path log : outcome.targetLogs()) {
            out.println("target log: " + log);
        }
        for (LiveExporter x : exporters) {
            (x.droppedSamples() > 0 ? err : out).println((x.droppedSamples() > 0 ? "warning: " : "") + x.summary());
        }
        if (outcome.result().scoring().criteria() != null) {
            for (CriterionResult c : outcome.result().scoring().criteria()) {
                if (!c.pass()) {
                    CiSummary.annotate(out, c.required(), "loadleak " + c.level().word() + " criterion failed",
                            scenario.redactor().redact(c.message() == null ? c.expression() : c.message()));
                }
            }
        }
        Path summary = opts.outDir().resolve("summary.md");
        if (Files.exists(summary)) {
            try {
                CiSummary.append(Files.readString(summary), err);
            } catch (IOException e) {
                err.println("warning: could not read " + summary + " for $GITHUB_STEP_SUMMARY: " + e.getMessage());
            }
        }
        if (opts.history != null && opts.shard.whole() && outcome.result().status() != RunStatus.FAILED) {
            // a history that cannot be written is an error on its own line; the run's verdict still decides the exit
            try {
                out.println(HistoryCommand.record(opts.history, outcome.result(),
                        HistoryCommand.labels(opts.labels, System::getenv),
                        scenario.origin() == null ? null : scenario.origin().text()));
            } catch (LoadleakException e) {
                err.println("error: " + e.getMessage());
                err.flush();
            }
        }
        out.flush();
        return exitCode(outcome, opts, out, err);
    }

    /** The documented exit code of a run's outcome. */
    static int exitCode(RunOutcome outcome, RunOptions opts, PrintWriter out, PrintWriter err) {
        RunStatus status = outcome.result().status();
        if (status == RunStatus.FAILED) {
            err.println("error: the run failed: " + outcome.result().failure() + " (what was measured is in "
                    + outcome.resultFile() + ")");
            err.flush();
            return ExitCodes.COULD_NOT_RUN;
        }
        if (status == RunStatus.INTERRUPTED) {
            return ExitCodes.INTERRUPTED;
        }
        if (status == RunStatus.ABORTED_BY_CRITERIA) {
            err.println("error: " + outcome.result().failure() + " (what was measured until then is in "
                    + outcome.resultFile() + ")");
            err.flush();
            return ExitCodes.CRITERIA_FAILED;
        }
        if (!opts.shard.whole()) {
            // a shard's figures are a part of the run: the verdict is the merged run's (and a
            // Kubernetes Indexed Job must not retry a shard that ran because its part failed criteria)
            out.println("shard " + opts.shard + ": combine the shards with 'loadleak merge' for the run's verdict");
            out.flush();
            return outcome.writeFailed() ? ExitCodes.COULD_NOT_RUN : ExitCodes.OK;
        }
        int code = ExitCodes.forVerdict(outcome.result().scoring().verdict(), opts.strict);
        // a CI gate must not pass on a run whose artifacts are missing
        return code == ExitCodes.OK && outcome.writeFailed() ? ExitCodes.COULD_NOT_RUN : code;
    }
}
