package dev.loadleak.cli;

import dev.loadleak.analysis.ResultAssembler;
import dev.loadleak.analysis.RunResult;
import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.HttpEngine;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.metrics.TimelinePoint;
import dev.loadleak.report.ConsoleSummary;
import dev.loadleak.report.JsonResult;
import dev.loadleak.report.ProgressLine;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run from a validated scenario to a written result: check the output directory, preflight the
 * target, drive the engine with a live line per second, then write result.json and the summary.
 * Whatever happens after load started, what was measured is written.
 */
final class RunExecutor {
    private static final DateTimeFormatter DIR_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final Vertx vertx;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quiet;

    RunExecutor(Vertx vertx, PrintWriter out, PrintWriter err, boolean quiet) {
        this.vertx = vertx;
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    static Path defaultOutDir(Instant now) {
        return Path.of("loadleak-results", DIR_NAME.format(now));
    }

    int execute(Scenario scenario, Path outDir) {
        Path resultFile = prepareOutput(outDir);
        preflight(scenario.target());

        EnginePlan plan = EnginePlan.of(scenario);
        RunRecorder recorder = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos());
        HttpEngine engine = new HttpEngine(vertx, Clock.SYSTEM, plan, recorder);
        Instant startedAt = Instant.now();
        long totalSeconds = Math.round(plan.totalDurationNanos() / 1e9);
        if (!quiet) {
            err.printf("running %s against %s: %d requests over %ds%n", scenario.name(), scenario.target(),
                    plan.totalRequests(), totalSeconds);
            err.flush();
        }

        CountDownLatch written = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            engine.stop();
            try {
                written.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "loadleak-interrupt");
        Runtime.getRuntime().addShutdownHook(onSignal);

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadleak-collector");
            t.setDaemon(true);
            return t;
        });
        Collector[] collector = new Collector[1];
        HttpEngine.Outcome outcome = null;
        try {
            var future = engine.start();
            // the collector's seconds count from the engine's own start time
            long start = engine.startNanos();
            collector[0] = new Collector(recorder, start);
            long firstTick = Math.max(0, start + 1_000_000_000L - Clock.SYSTEM.nanoTime());
            long[] errorsSoFar = {0};
            Terminal term = new Terminal(err);
            ticker.scheduleAtFixedRate(() -> {
                TimelinePoint p = collector[0].collect(Clock.SYSTEM.nanoTime());
                errorsSoFar[0] += p.errors();
                if (!quiet) {
                    term.progress(ProgressLine.format(p, p.second() + 1, totalSeconds, intendedRate(scenario, p.second()),
                            errorsSoFar[0]));
                }
            }, firstTick, 1_000_000_000L, TimeUnit.NANOSECONDS);
            outcome = future.get();
            term.endProgress();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadleakException(ExitCodes.INTERRUPTED, "interrupted");
        } catch (ExecutionException e) {
            throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "the run failed: " + e.getCause(), e.getCause());
        } finally {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            collector[0].collect(Clock.SYSTEM.nanoTime());
            RunResult result = ResultAssembler.assemble(scenario, plan, collector[0].totals(), outcome, startedAt);
            ConsoleSummary.render(result, out);
            try {
                JsonResult.write(result, resultFile);
                out.println("result: " + resultFile);
            } catch (IOException e) {
                err.println("error: could not write the result to " + resultFile + ": " + e.getMessage()
                        + " (the summary above is all that was kept)");
            }
            out.flush();
            return outcome.status() == HttpEngine.Status.INTERRUPTED ? ExitCodes.INTERRUPTED : ExitCodes.OK;
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the result is written
            }
        }
    }

    private static double intendedRate(Scenario s, long second) {
        long t = second * 1_000_000_000L;
        for (Phase p : s.phases()) {
            if (t < p.durationNanos()) {
                return p.load() instanceof Phase.ConstantRate c ? c.perSecond() : 0;
            }
            t -= p.durationNanos();
        }
        return 0;
    }

    /** Creates the output directory and proves it is writable before any load is sent. */
    static Path prepareOutput(Path outDir) {
        try {
            Files.createDirectories(outDir);
            Path probe = Files.createTempFile(outDir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "cannot write results to " + outDir + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage() + "; choose another --out directory");
        }
        return outDir.resolve("result.json");
    }

    /** A TCP connect to the target before any load: an unreachable target is exit 3, no load sent. */
    static void preflight(URI target) {
        int port = target.getPort() != -1 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target.getHost(), port), 5000);
        } catch (IOException e) {
            throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "target " + target + " is unreachable ("
                    + e.getMessage() + "); no load was sent");
        }
    }
}
