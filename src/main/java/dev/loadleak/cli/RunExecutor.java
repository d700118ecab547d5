package dev.loadleak.cli;

import dev.loadleak.analysis.Generator;
import dev.loadleak.analysis.LeakDetector;
import dev.loadleak.analysis.MemoryResults;
import dev.loadleak.analysis.ResultAssembler;
import dev.loadleak.analysis.RunResult;
import dev.loadleak.analysis.Verdict;
import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.HttpEngine;
import dev.loadleak.engine.Shard;
import dev.loadleak.engine.StripedEngine;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.metrics.SelfUsage;
import dev.loadleak.metrics.TimelinePoint;
import dev.loadleak.report.ConsoleSummary;
import dev.loadleak.report.HlogWriter;
import dev.loadleak.report.Reports;
import dev.loadleak.report.ProgressLine;
import dev.loadleak.scenario.MemoryConfig;
import dev.loadleak.scenario.Phase;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run from a validated scenario to a written result: check the output directory, launch and
 * preflight the target, drive the engine with a live line per second while the memory sampler
 * runs on its own thread, then score, write result.json and print the summary. Whatever happens
 * after load started, what was measured is written.
 */
final class RunExecutor {
    private static final DateTimeFormatter DIR_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    /** How to run and report. */
    record Options(Path outDir, boolean quiet, boolean strict, String version, int eventLoops, Shard shard) {
        Options(Path outDir, boolean quiet, boolean strict, String version, int eventLoops) {
            this(outDir, quiet, strict, version, eventLoops, Shard.WHOLE);
        }
    }

    private final Vertx vertx;
    private final PrintWriter out;
    private final PrintWriter err;

    RunExecutor(Vertx vertx, PrintWriter out, PrintWriter err) {
        this.vertx = vertx;
        this.out = out;
        this.err = err;
    }

    static Path defaultOutDir(Instant now) {
        return Path.of("loadleak-results", DIR_NAME.format(now));
    }

    int execute(Scenario scenario, Options opts) {
        Path resultFile = prepareOutput(opts.outDir());
        Redactor redactor = scenario.redactor();
        // one shard samples the target's memory (and launches it, if the scenario says so): not N of them
        try (MemoryWiring memory = opts.shard().samplesMemory() ? MemoryWiring.of(scenario, opts.outDir())
                : MemoryWiring.none()) {
            preflight(scenario, memory);
            return run(scenario, opts, resultFile, redactor, memory);
        }
    }

    private void preflight(Scenario s, MemoryWiring memory) {
        long wait = s.preflight() != null ? s.preflight().waitNanos() : memory.launched.isEmpty() ? 0 : 30_000_000_000L;
        for (String health : memory.launchHealthUrls) {
            // a launched target is waited for on its own health URL first
            PreflightCheck.http(health.startsWith("/") ? s.target().resolve(health) : java.net.URI.create(health),
                    Math.max(wait, 30_000_000_000L), s.defaults().insecure(), memory::launchedDied);
        }
        if (s.preflight() != null) {
            PreflightCheck.http(s.preflight().resolve(s.target()), wait, s.defaults().insecure(), memory::launchedDied);
        } else {
            PreflightCheck.tcp(s.target(), wait, memory::launchedDied);
        }
    }

    private int run(Scenario scenario, Options opts, Path resultFile, Redactor redactor, MemoryWiring memory) {
        EnginePlan plan = EnginePlan.of(scenario);
        RunRecorder recorder = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos());
        Vertx engineVertx = engineVertx(opts.eventLoops());
        StripedEngine engine = StripedEngine.of(engineVertx, Clock.SYSTEM, scenario, recorder, opts.eventLoops(),
                opts.shard());
        double cpuAtStart = SelfUsage.cpuSeconds();
        long totalSeconds = Math.round(plan.totalDurationNanos() / 1e9);
        if (!opts.quiet()) {
            err.println(redactor.redact(String.format("running %s against %s: %s over %ds%s", scenario.name(),
                    scenario.target(), plan.allOpen() ? plan.expectedOpenRequests() + " requests" : "load",
                    totalSeconds, memory.any() ? ", sampling memory every "
                            + memory.intervalNanos / 1_000_000 + " ms" : "")));
            err.flush();
        }
        CountDownLatch written = new CountDownLatch(1);
        // Ctrl-C or SIGTERM: stop sending, give in-flight requests 2 s, write what was measured,
        // then end with the documented exit code 130 (not the JVM's 128 + signal)
        Thread onSignal = new Thread(() -> {
            engine.stop();
            try {
                if (written.await(10, TimeUnit.SECONDS)) {
                    out.flush();
                    err.flush();
                    Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                }
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
        var future = engine.start();
        long start = engine.startNanos();
        // the wall-clock time of the schedule's start (after the client warm-up): second 0 of the
        // timeline and of the .hlog files, by which 'merge' aligns shards
        Instant startedAt = Instant.now().minusNanos(Math.max(0, Clock.SYSTEM.nanoTime() - start));
        Collector collector = new Collector(recorder, start);
        HlogWriter hlog = null;
        try {
            hlog = new HlogWriter(opts.outDir().resolve("latency-corrected.hlog"),
                    opts.outDir().resolve("latency-uncorrected.hlog"), startedAt.toEpochMilli());
            collector.setListener(hlog);
        } catch (IOException e) {
            err.println("warning: no .hlog files: " + e.getMessage());
        }
        MemorySampler sampler = new MemorySampler(memory.sources, Clock.SYSTEM, start, memory.intervalNanos);
        if (memory.any()) {
            sampler.start();
        }
        Terminal term = new Terminal(err);
        long[] errorsSoFar = {0};
        ticker.scheduleAtFixedRate(() -> {
            TimelinePoint p = collector.collect(Clock.SYSTEM.nanoTime());
            errorsSoFar[0] += p.errors();
            if (!opts.quiet()) {
                term.progress(p.second() + 1, totalSeconds, ProgressLine.format(p, p.second() + 1, totalSeconds, intendedRate(scenario, p.second()),
                        errorsSoFar[0]));
            }
        }, Math.max(0, start + 1_000_000_000L - Clock.SYSTEM.nanoTime()), 1_000_000_000L, TimeUnit.NANOSECONDS);

        HttpEngine.Outcome outcome;
        String failure = null;
        try {
            outcome = future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            engine.stop();
            outcome = new HttpEngine.Outcome(HttpEngine.Status.INTERRUPTED, start, Clock.SYSTEM.nanoTime(), 0, 0, 0, "");
        } catch (ExecutionException e) {
            failure = String.valueOf(e.getCause());
            outcome = new HttpEngine.Outcome(HttpEngine.Status.INTERRUPTED, start, Clock.SYSTEM.nanoTime(), 0, 0, 0, "");
        } finally {
            ticker.shutdownNow();
            sampler.close();
            term.endProgress();
            if (engineVertx != vertx) {
                engineVertx.close();
            }
        }
        final HlogWriter hlogFinal = hlog;
        try {
            collector.collect(Clock.SYSTEM.nanoTime());
            if (hlogFinal != null) {
                hlogFinal.close();
            }
            Generator generator = generator(outcome, cpuAtStart, engine.loops());
            RunResult result = assemble(scenario, plan, collector, sampler, outcome, startedAt, opts, failure, generator);
            StringWriter summary = new StringWriter();
            ConsoleSummary.render(result, new PrintWriter(summary));
            out.print(term.colorVerdict(redactor.redact(summary.toString())));
            boolean writeFailed = !writeResults(result, resultFile, opts.outDir(), redactor, hlogFinal);
            for (var p : memory.launched) {
                out.println("target log: " + p.log());
            }
            out.flush();
            if (failure != null) {
                return ExitCodes.COULD_NOT_RUN;
            }
            if (outcome.status() == HttpEngine.Status.INTERRUPTED) {
                return ExitCodes.INTERRUPTED;
            }
            if (!opts.shard().whole()) {
                // a shard's figures are a part of the run: the verdict is the merged run's (and a
                // Kubernetes Indexed Job must not retry a shard that ran because its part failed criteria)
                out.println("shard " + opts.shard() + ": combine the shards with 'loadleak merge' for the run's verdict");
                out.flush();
                return writeFailed ? ExitCodes.COULD_NOT_RUN : ExitCodes.OK;
            }
            int code = exitCode(result.verdict(), opts.strict());
            // a CI gate must not pass on a run whose artifacts are missing
            return code == ExitCodes.OK && writeFailed ? ExitCodes.COULD_NOT_RUN : code;
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the result is written
            }
        }
    }

    /**
     * Writes result.json and the reports, each on its own: one failure (disk full, say) does not
     * stop the others, and each is named on stderr with where and why. False if any failed.
     */
    private boolean writeResults(RunResult result, Path resultFile, Path dir, Redactor redactor, HlogWriter hlog) {
        Map<Path, String> failed = new LinkedHashMap<>(Reports.saveAll(result, resultFile, dir, redactor));
        if (hlog != null && hlog.failed() != null) {
            failed.put(dir.resolve("latency-*.hlog"), hlog.failed());
        }
        if (failed.isEmpty()) {
            out.println("result: " + resultFile + " (and report.html, junit.xml, summary.md, timeline.csv, *.hlog)");
            return true;
        }
        failed.forEach((file, why) -> err.println("error: could not write " + file + ": " + why));
        if (failed.containsKey(resultFile)) {
            err.println("error: the result was not saved; the summary above is what this run measured");
        } else {
            out.println("result: " + resultFile + " (some reports could not be written: see the errors)");
        }
        err.flush();
        return false;
    }

    static int exitCode(Verdict v, boolean strict) {
        if (v == Verdict.NO_GO || v == Verdict.CONDITIONAL_GO && strict) {
            return ExitCodes.CRITERIA_FAILED;
        }
        return ExitCodes.OK;
    }

    private static RunResult assemble(Scenario scenario, EnginePlan plan, Collector collector, MemorySampler sampler,
                                      HttpEngine.Outcome outcome, Instant startedAt, Options opts, String failure,
                                      Generator generator) {
        List<MemorySampler.Series> memorySeries = new ArrayList<>();
        List<MemorySampler.Series> targetSeries = new ArrayList<>();
        for (MemorySampler.Series s : sampler.series()) {
            (s.kind().equals(MemoryWiring.TARGET_METRIC) ? targetSeries : memorySeries).add(s);
        }
        MemoryConfig mc = scenario.memory();
        LeakDetector.Params params = mc == null ? LeakDetector.Params.defaults()
                : LeakDetector.Params.defaults().withThreshold(mc.leakThresholdMBPerHour());
        double from = warmupEndSeconds(scenario);
        ResultAssembler.Extras extras = new ResultAssembler.Extras(opts.version(),
                MemoryResults.of(memorySeries, from, params), MemoryResults.targetMetrics(targetSeries), failure,
                generator, opts.shard());
        return ResultAssembler.assemble(scenario, plan, collector.totals(), outcome, startedAt, extras);
    }

    /**
     * The Vert.x the engine sends on: the application's, when it runs on Netty's epoll transport
     * (the JVM), else — the native executable's application Vert.x is on NIO (Quarkus substitutes
     * Vert.x's native-transport lookup in native images), whose timers have millisecond
     * granularity — an own one on epoll when Netty's native library loads, with one event loop per
     * engine stripe. NIO otherwise (the summary says which).
     */
    private Vertx engineVertx(int loops) {
        if (vertx.isNativeTransportEnabled()) {
            return vertx;
        }
        Throwable why;
        try {
            why = io.netty.channel.epoll.Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            why = e;
        }
        if (why == null) {
            // the epoll transport named explicitly: Quarkus' native image substitutes Vert.x's own
            // lookup of the native transport with NIO
            Vertx own = new io.vertx.core.impl.VertxBuilder(new io.vertx.core.VertxOptions().setPreferNativeTransport(true)
                    .setEventLoopPoolSize(Math.max(1, loops)).setWorkerPoolSize(1).setInternalBlockingPoolSize(1))
                    .findTransport(new io.vertx.core.impl.transports.EpollTransport()).init().vertx();
            if (own.isNativeTransportEnabled()) {
                return own;
            }
            why = own.unavailableNativeTransportCause();
            own.close();
        }
        org.jboss.logging.Logger.getLogger(RunExecutor.class).debugf(why, "Netty's epoll transport is not in use: %s", why);
        return vertx;
    }

    private static Generator generator(HttpEngine.Outcome outcome, double cpuAtStart, int loops) {
        double cpu = Math.max(0, SelfUsage.cpuSeconds() - cpuAtStart);
        double seconds = Math.max(1e-3, (outcome.endNanos() - outcome.startNanos()) / 1e9);
        int cores = Runtime.getRuntime().availableProcessors();
        double share = Math.round(cpu / (seconds * cores) * 1000) / 1000.0;
        return new Generator(SelfUsage.peakRssBytes(), Math.round(cpu * 1000) / 1000.0, cores, loops, share, outcome.client());
    }

    /** Leak analysis starts after the warm-up phases, or after the configured share of the run. */
    static double warmupEndSeconds(Scenario s) {
        double end = 0;
        boolean any = false;
        double t = 0;
        for (Phase p : s.phases()) {
            t += p.durationNanos() / 1e9;
            if (p.warmup()) {
                end = t;
                any = true;
            }
        }
        if (any) {
            return end;
        }
        double share = s.memory() == null ? MemoryConfig.DEFAULT_WARMUP_SHARE : s.memory().warmupShare();
        return share * s.totalDurationNanos() / 1e9;
    }

    private static double intendedRate(Scenario s, long second) {
        double t = second;
        for (Phase p : s.phases()) {
            double d = p.durationNanos() / 1e9;
            if (t < d) {
                return p.intendedRateAt(t);
            }
            t -= d;
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
}
