package dev.loadleak.run;

import dev.loadleak.analysis.ExactRetention;
import dev.loadleak.analysis.LoadOutcome;
import dev.loadleak.analysis.ResultAssembler;
import dev.loadleak.engine.Clock;
import dev.loadleak.engine.EngineOutcome;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.StripedEngine;
import dev.loadleak.engine.TransportFactory;
import dev.loadleak.engine.client.Clients;
import dev.loadleak.engine.vertx.OnceSteps;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.metrics.SelfUsage;
import dev.loadleak.report.Durable;
import dev.loadleak.report.HlogWriter;
import dev.loadleak.result.ClassGrowth;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.Generator;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Shard;
import dev.loadleak.scenario.Flow;
import dev.loadleak.scenario.Scenario;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One run from a validated scenario to a written result, the one place that knows the order of
 * things: prepare the output directory → memory wiring (launch targets) → preflight → engine →
 * per-second collection while the memory sampler runs → score → write. Whatever happens after
 * load started, what was measured is written; every wait is bounded (see {@link LoadWatch}).
 * The CLI and any other front end start it with {@link #execute}, watch it through a
 * {@link RunListener} and stop it with {@link #stop}.
 */
public final class RunSession {
    /**
     * How to run.
     *
     * @param signalExitCode when set, Ctrl-C or SIGTERM stops the run, and the process ends with
     *                       this code once the result is written (the CLI); null leaves signals alone
     */
    public record Settings(Path outDir, String version, int eventLoops, Shard shard, Integer signalExitCode,
                           long prewarmNanos, IoTransport io) {
        public Settings(Path outDir, String version, int eventLoops, Shard shard, Integer signalExitCode) {
            this(outDir, version, eventLoops, shard, signalExitCode, 0, IoTransport.AUTO);
        }
    }

    private final Scenario scenario;
    /** What the run adds to its scenario: setup's values, and the secrets among them and teardown's. */
    private RunContext context = RunContext.NONE;
    private List<FlowResult.SetupStep> setupSteps = List.of();
    private final Settings settings;
    private final Vertx vertx;
    private final TransportFactory transports;
    private final RunListener listener;
    /** The run's time (monotonic nanoseconds), shared with its engine and its memory sampler. */
    private final Clock clock;
    /** The wall clock: when the run started, for the result and the journal. */
    private final InstantSource wall;
    private volatile StripedEngine engine;
    private volatile boolean stopRequested;
    /** Why an abortOnFail criterion stopped the run, or null. */
    private volatile String abortedBy;
    private Journal journal;

    public RunSession(Scenario scenario, Settings settings, Vertx vertx, RunListener listener) {
        this(scenario, settings, vertx, Clients.STANDARD, listener);
    }

    /** With the engine's transports made by {@code transports} (tests: one that fails). */
    public RunSession(Scenario scenario, Settings settings, Vertx vertx, TransportFactory transports,
                      RunListener listener) {
        this(scenario, settings, vertx, transports, listener, Clock.SYSTEM, InstantSource.system());
    }

    /** With the run's time taken from {@code clock} and its start date from {@code wall} (tests: clocks of their own). */
    public RunSession(Scenario scenario, Settings settings, Vertx vertx, TransportFactory transports,
                      RunListener listener, Clock clock, InstantSource wall) {
        this.scenario = scenario;
        this.settings = settings;
        this.vertx = vertx;
        this.transports = transports;
        this.listener = listener;
        this.clock = clock;
        this.wall = wall;
    }

    /**
     * Runs to the end (or until stopped) and writes the result.
     *
     * @throws RunFailure before any load: the output directory cannot be written, a target cannot
     *                    be launched, or the preflight failed
     */
    public RunOutcome execute() {
        Path resultFile = ResultWriter.prepare(settings.outDir());
        try (OutDirLock lock = OutDirLock.acquire(settings.outDir())) {
            return execute(resultFile);
        }
    }

    private RunOutcome execute(Path resultFile) {
        // one shard samples the target's memory (and launches it, if the scenario says so): not N of them
        try (MemoryWiring memory = settings.shard().samplesMemory() ? MemoryWiring.of(scenario, settings.outDir())
                : MemoryWiring.none()) {
            try {
                PreflightCheck.before(scenario, memory);
            } catch (RunFailure f) {
                if (f.preflight() != null) {
                    notRun(f, resultFile);
                }
                throw f;
            }
            setup();
            try (EvidenceTaker evidence = EvidenceTaker.check(memory.histograms)) {
                return drive(memory, evidence, resultFile);
            }
        }
    }

    /**
     * Runs the scenario's {@code setup:} steps once, before any load; what they extract is shared by
     * every user. A failed step stops the run with exit 3 and nothing sent.
     */
    private void setup() {
        Flow.Plan flows = scenario.flows();
        if (flows.setup().isEmpty()) {
            return;
        }
        String[] shared = new String[flows.variables().size()];
        OnceSteps.Result r = OnceSteps.run(vertx, scenario, flows.setup(), shared, Set.of(), "setup", true);
        setupSteps = new ArrayList<>(reported(FlowResult.Stage.SETUP, r));
        if (r.failure() != null) {
            throw new RunFailure(RunFailure.Kind.COULD_NOT_RUN, r.failure() + "; no load was sent");
        }
        context = context.withSetup(shared, r.secrets());
    }

    /** Runs the {@code teardown:} steps once after the load (every one, whatever fails): reported, not scored. */
    private void teardown() {
        Flow.Plan flows = scenario.flows();
        if (flows.teardown().isEmpty()) {
            return;
        }
        String[] shared = context.shared() == null ? new String[flows.variables().size()] : context.shared();
        OnceSteps.Result r = OnceSteps.run(vertx, scenario, flows.teardown(), shared, context.secrets(), "teardown",
                false);
        setupSteps = new ArrayList<>(setupSteps);
        setupSteps.addAll(reported(FlowResult.Stage.TEARDOWN, r));
        context = context.withSecrets(r.secrets());
    }

    private static List<FlowResult.SetupStep> reported(FlowResult.Stage stage, OnceSteps.Result r) {
        return r.steps().stream().map(o -> new FlowResult.SetupStep(stage, o.name(), o.method(), o.path(), o.status(),
                Math.round(o.millis() * 10) / 10.0, o.error() == null, o.error())).toList();
    }

    /** Stops sending, as Ctrl-C does: in-flight requests get their grace, the result is written. Any thread. */
    public void stop() {
        stopRequested = true;
        StripedEngine e = engine;
        if (e != null) {
            e.stop();
        }
    }

    /**
     * The target failed its preflight: no load was sent, but the artifacts a CI job keeps are
     * written anyway (result.json with the status and the reason, a junit.xml whose failing test
     * case says why, summary.md), so that the job has something to show.
     */
    private void notRun(RunFailure f, Path resultFile) {
        EnginePlan plan = EnginePlan.of(scenario);
        RunRecorder recorder = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos());
        Collector collector = new Collector(recorder, 0);
        collector.collect(0);
        RunResult result = ResultAssembler.assemble(scenario, plan, collector.totals(),
                new LoadOutcome(f.preflight(), 0, 0, 0, "", f.getMessage()), wall.instant(),
                new ResultAssembler.Extras(settings.version(), List.of(), Map.of(), null, settings.shard()));
        Map<Path, String> failed = ResultWriter.write(result, resultFile, context.redactor(scenario), null);
        listener.written(resultFile, failed);
    }

    private RunOutcome drive(MemoryWiring memory, EvidenceTaker evidence, Path resultFile) {
        EnginePlan plan = EnginePlan.of(scenario, 1, context.shared());
        // iterations are counted for the scenario's own flows; a closed requests: scenario's one-step flows are requests
        RunRecorder recorder = new RunRecorder(plan.phases().size(), plan.requests().size(), plan.lateBoundNanos(),
                scenario.flows().flows().size());
        double cpuAtStart = SelfUsage.cpuSeconds();
        int cores = Runtime.getRuntime().availableProcessors();
        int loops = EngineRuntime.loops(settings.eventLoops(), scenario.target(), cores);
        try (EngineRuntime runtime = new EngineRuntime(vertx, loops, transports, settings.io())) {
            String prewarmed = settings.prewarmNanos() > 0 && !stopRequested
                    ? Prewarm.run(vertx, runtime, scenario, loops, settings.prewarmNanos()) : null;
            StripedEngine e = runtime.engine(scenario, context.shared(), recorder, loops, settings.shard(), clock);
            engine = e;
            listener.starting(describe(plan, memory) + (prewarmed == null ? "" : "; " + prewarmed)
                    + (runtime.note() == null ? "" : "; " + runtime.note()) + EngineRuntime.loopsNote(loops, cores));
            try (InterruptHook hook = settings.signalExitCode() == null ? null
                    : InterruptHook.install(e::stop, listener::flush, settings.signalExitCode())) {
                if (stopRequested) {
                    e.stop();
                }
                LoadWatch watch = new LoadWatch(e, plan, clock);
                watch.begin();
                Instant startedAt = wall.instant().minusNanos(Math.max(0, clock.nanoTime() - watch.startNanos()));
                Collector collector = new Collector(recorder, watch.startNanos());
                collector.setGauges(e::inFlight, e::connections);
                HlogWriter hlog = hlog(collector, startedAt);
                MemorySampler sampler = new MemorySampler(memory.sources, clock, watch.startNanos(), memory.intervalNanos);
                openJournal(collector, sampler, startedAt);
                LiveView live = liveView(plan, collector, sampler, startedAt, watch.startNanos());
                // the scored load starts when the warm-up phases end (at once without any)
                double scoredFrom = plan.warmupEndSeconds(0);
                evidence.startAt(scoredFrom - (clock.nanoTime() - watch.startNanos()) / 1e9, scoredFrom);
                ForcedGcs forced = new ForcedGcs(memory.forced, settings.outDir(),
                        () -> (clock.nanoTime() - watch.startNanos()) / 1e9);
                forced.startAt(scoredFrom - (clock.nanoTime() - watch.startNanos()) / 1e9);
                LoadOutcome outcome;
                List<ExactRetention.Forced> exact;
                try (forced) {
                    outcome = measure(watch, collector, sampler, memory, plan, live);
                    exact = forced.finish();
                }
                List<ClassGrowth> grown = evidence.finish((clock.nanoTime() - watch.startNanos()) / 1e9);
                collector.collect(clock.nanoTime());
                if (hlog != null) {
                    hlog.close();
                }
                teardown();
                RunResult result = completed(assemble(plan, collector, sampler, outcome, startedAt,
                        generator(outcome, cpuAtStart, e.loops()), grown), exact, memory.warnings);
                listener.finished(result);
                Map<Path, String> failed = ResultWriter.write(result, resultFile, context.redactor(scenario), hlog);
                closeJournal(failed.containsKey(resultFile));
                listener.written(resultFile, failed);
                return new RunOutcome(result, resultFile, !failed.isEmpty(), memory.launched.stream()
                        .map(p -> p.log()).toList());
            }
        } finally {
            closeJournal(true); // still open: the run did not get to write its result; the journal stays
        }
    }

    /**
     * What the run publishes each second: its figures so far, scored by the final result's own assembly when
     * abortOnFail or a listener reads the scoring (a shard's criteria are scored on the merged result, not here).
     */
    private LiveView liveView(EnginePlan plan, Collector collector, MemorySampler sampler, Instant startedAt,
                              long start) {
        boolean scored = listener.readsScoring() || abortOnFail() != null;
        Supplier<RunResult> soFar = () -> MeasuredResult.assemble(scenario, plan, collector.totals(),
                sampler.series(), new LoadOutcome(RunStatus.INTERRUPTED, Math.max(1e-3,
                        (clock.nanoTime() - start) / 1e9), 0, 0, "", null), startedAt, settings.version(),
                settings.shard(), null, List.of());
        return new LiveView(collector, sampler, scenario.requests().stream().map(r -> r.name()).toList(),
                scored ? soFar : null);
    }

    /** The run's abortOnFail watch, or null (none in the scenario; a shard's are scored on the merged result). */
    private AbortOnFail abortOnFail() {
        return settings.shard().whole() ? AbortOnFail.of(scenario.criteria()) : null;
    }

    /** The assembled result with what the run added: setup and teardown steps, forced collections, an abortOnFail stop, memory warnings. */
    private RunResult completed(RunResult assembled, List<ExactRetention.Forced> exact, List<String> memoryWarnings) {
        RunResult result = assembled;
        if (!setupSteps.isEmpty()) {
            result = result.toBuilder().setup(List.copyOf(setupSteps)).build();
        }
        result = ExactRetention.apply(result, exact, scenario);
        String why = abortedBy;
        if (why != null && result.status() == RunStatus.INTERRUPTED) {
            result = result.toBuilder().status(RunStatus.ABORTED_BY_CRITERIA)
                    .failure(context.redactor(scenario).redact("stopped by abortOnFail: " + why)).build();
        }
        if (!memoryWarnings.isEmpty()) {
            List<String> warnings = new ArrayList<>(result.warnings());
            warnings.addAll(memoryWarnings);
            result = result.toBuilder().warnings(List.copyOf(warnings)).build();
        }
        return result;
    }

    /** The crash-safe journal of what is measured (none when it cannot be written), and the sampler to the listener. */
    private void openJournal(Collector collector, MemorySampler sampler, Instant startedAt) {
        journal = Journal.open(settings.outDir(), scenario, context.redactor(scenario), startedAt, settings.version(),
                settings.shard(), listener);
        if (journal != null) {
            journal.sampling(sampler);
            collector.setCellListener(journal);
        }
    }

    /**
     * The journal is for a run that cannot write its result: once result.json is written it goes
     * (a soak's journal is tens of MB); when result.json could not be written, it stays.
     */
    private void closeJournal(boolean resultFailed) {
        Journal j = journal;
        journal = null;
        if (j == null) {
            return;
        }
        j.close();
        if (!resultFailed) {
            try {
                java.nio.file.Files.deleteIfExists(settings.outDir().resolve(Journal.FILE));
                Durable.syncDirectory(settings.outDir());
            } catch (IOException e) {
                listener.warning("cannot remove " + Journal.FILE + ": " + e.getMessage());
            }
        }
    }

    /** Samples memory and collects each second while the load runs; then stops them. */
    private LoadOutcome measure(LoadWatch watch, Collector collector, MemorySampler sampler, MemoryWiring memory,
                                EnginePlan plan, LiveView live) {
        AbortOnFail abort = abortOnFail();
        RunListener perSecond = abort == null ? listener : new RunListener() {
            @Override
            public void live(LiveSnapshot now) {
                listener.live(now);
                if (abortedBy == null) {
                    String why = abort.check(now);
                    if (why != null) {
                        abortedBy = why;
                        listener.warning("stopping the run: abortOnFail " + context.redactor(scenario).redact(why));
                        stop();
                    }
                }
            }
        };
        try (Ticker ticker = new Ticker(collector, plan, perSecond, clock, live)) {
            if (memory.any()) {
                sampler.start();
            }
            ticker.start(watch.startNanos());
            return watch.awaitEnd();
        } finally {
            sampler.close();
            listener.loadEnded();
        }
    }

    private HlogWriter hlog(Collector collector, Instant startedAt) {
        try {
            HlogWriter hlog = new HlogWriter(settings.outDir().resolve("latency-corrected.hlog"),
                    settings.outDir().resolve("latency-uncorrected.hlog"), startedAt.toEpochMilli());
            collector.setListener(hlog);
            return hlog;
        } catch (IOException e) {
            listener.warning("no .hlog files: " + e.getMessage());
            return null;
        }
    }

    private String describe(EnginePlan plan, MemoryWiring memory) {
        long totalSeconds = Math.round(plan.totalDurationNanos() / 1e9);
        return context.redactor(scenario).redact(String.format("running %s against %s: %s over %ds%s", scenario.name(),
                scenario.target(), plan.allOpen() ? plan.expectedOpenRequests() + " requests" : "load", totalSeconds,
                memory.any() ? ", sampling memory every " + memory.intervalNanos / 1_000_000 + " ms" : ""));
    }

    private RunResult assemble(EnginePlan plan, Collector collector, MemorySampler sampler, LoadOutcome outcome,
                               Instant startedAt, Generator generator, List<ClassGrowth> grown) {
        return MeasuredResult.assemble(scenario, plan, collector.totals(), sampler.series(), outcome, startedAt,
                settings.version(), settings.shard(), generator, grown);
    }

    private static Generator generator(LoadOutcome outcome, double cpuAtStart, int loops) {
        double cpu = Math.max(0, SelfUsage.cpuSeconds() - cpuAtStart);
        double seconds = Math.max(1e-3, outcome.measuredSeconds());
        int cores = Runtime.getRuntime().availableProcessors();
        double share = Math.round(cpu / (seconds * cores) * 1000) / 1000.0;
        return new Generator(SelfUsage.peakRssBytes(), Math.round(cpu * 1000) / 1000.0, cores, loops, share,
                outcome.client());
    }

    /** The run's status from the engine's. */
    static RunStatus status(EngineOutcome.Status s) {
        return s == EngineOutcome.Status.COMPLETED ? RunStatus.COMPLETED : RunStatus.INTERRUPTED;
    }
}
