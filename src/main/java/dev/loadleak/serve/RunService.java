package dev.loadleak.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.demoserver.HostedService;
import dev.loadleak.export.LiveExporter;
import dev.loadleak.history.HistoryStore;
import dev.loadleak.report.Durable;
import dev.loadleak.report.JsonResult;
import dev.loadleak.report.Reports;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Shard;
import dev.loadleak.run.BothListeners;
import dev.loadleak.run.Journal;
import dev.loadleak.run.JournalReplay;
import dev.loadleak.run.RunFailure;
import dev.loadleak.run.RunListener;
import dev.loadleak.run.RunOutcome;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.Confinement;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The runs of {@code loadleak serve}: started from a scenario posted over HTTP, each in a
 * directory of its own under the data directory (as {@code run --out} writes it: scenario.yaml,
 * result.json and the reports), at most {@code maxRuns} at a time. The list survives a restart;
 * a run whose directory has no result.json was in progress when the process died: {@code aborted}.
 * Not serving (the default: {@code target}, {@code run}) until {@link #configure} is called.
 */
@ApplicationScoped
public class RunService implements HostedService {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    /**
     * @param token       what every /api request must bear ({@code Authorization: Bearer …}), or null on 127.0.0.1
     * @param version     loadleak's version, written into results
     * @param confinement what a posted scenario may reach besides its load (files, programs, variables, URLs)
     * @param env         the environment {@code ${env:…}} reads (within {@code confinement})
     * @param names       the host names requests may name besides IP literals and localhost (the bound
     *                    name, {@code --public-name}), lower case
     */
    public record Config(Path data, int maxRuns, String token, long maxBodyBytes, String version, int eventLoops,
                         Confinement confinement, Function<String, String> env, Set<String> names) {
        /** Fully confined: no program, no file, no environment variable, any target. */
        public Config(Path data, int maxRuns, String token, long maxBodyBytes, String version, int eventLoops) {
            this(data, maxRuns, token, maxBodyBytes, version, eventLoops,
                    Confinement.server(false, null, Set.of(), null), System::getenv);
        }

        /** Answering only to IP literals and localhost. */
        public Config(Path data, int maxRuns, String token, long maxBodyBytes, String version, int eventLoops,
                      Confinement confinement, Function<String, String> env) {
            this(data, maxRuns, token, maxBodyBytes, version, eventLoops, confinement, env, Set.of());
        }
    }

    @Inject
    Vertx vertx;

    private volatile Config config;
    private volatile Exports exports = (run, scenario, redactor) -> List.of();
    private volatile Path history;
    private volatile Map<String, String> historyLabels = Map.of();
    private final Map<String, ManagedRun> runs = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    /** {@code serve --output}: the live exporters of a run the service starts, labelled with its id and scenario. */
    @FunctionalInterface
    public interface Exports {
        List<LiveExporter> of(String runId, String scenario, Redactor redactor);
    }

    /** Each run this service starts from now on pushes its figures live through {@code e}'s exporters. */
    public void exports(Exports e) {
        exports = e == null ? (run, scenario, redactor) -> List.of() : e;
    }

    /** Starts serving from {@code c.data()}: the runs already there are listed. */
    public void configure(Config c) throws IOException {
        Files.createDirectories(c.data());
        config = c;
        history = null; // until history() says otherwise
        try (Stream<Path> dirs = Files.list(c.data())) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                ManagedRun r = load(d);
                if (r != null) {
                    runs.put(r.id, r);
                }
            }
        }
    }

    /**
     * {@code serve --history FILE}: each run this service starts and that measured something is
     * recorded in {@code file} (created if missing), labelled with {@code labels}.
     */
    public void history(Path file, Map<String, String> labels) throws SQLException {
        if (file != null) {
            try (HistoryStore h = HistoryStore.open(file)) {
                h.scenarios(); // opened and migrated now: a bad file is an error at start, not after a run
            }
        }
        history = file;
        historyLabels = Map.copyOf(labels);
    }

    /** The history file, or null. */
    public Path historyFile() {
        return history;
    }

    @Override
    public boolean serving() {
        return config != null;
    }

    /** Stops serving (tests; the process' end): the runs still going are stopped first, their results written. */
    public void stopServing() {
        stopAll();
        config = null;
        runs.clear();
    }

    /** At shutdown (SIGTERM, Ctrl-C): every run still going is stopped as SIGINT does, and waited for (8 s at most). */
    void onShutdown(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent ev) {
        stopAll();
    }

    private void stopAll() {
        List<ManagedRun> going = runs.values().stream().filter(ManagedRun::running).toList();
        going.forEach(r -> stop(r.id));
        long deadline = System.nanoTime() + 8_000_000_000L;
        while (going.stream().anyMatch(ManagedRun::running) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    Config config() {
        return config;
    }

    /**
     * A run directory written earlier: its result, or aborted when it has none. A {@code run.json}
     * that cannot be read (an empty one, from before it was written atomically) does not hide the
     * run: its name and start come from result.json or the journal, else from the directory.
     */
    private ManagedRun load(Path d) {
        Path meta = d.resolve("run.json");
        if (!Files.exists(meta)) {
            return null;
        }
        JsonNode m;
        try {
            m = ManagedRun.JSON.readTree(meta.toFile());
            m = m != null && m.isObject() ? m : null; // an empty file reads as a missing node
        } catch (IOException | RuntimeException e) {
            m = null;
        }
        Path result = d.resolve("result.json");
        Path journal = d.resolve(Journal.FILE);
        try {
            RunResult res = Files.exists(result) ? JsonResult.read(result) : null;
            JsonNode head = m == null && res == null ? journalHead(journal) : null;
            String name = m != null && m.hasNonNull("name") ? m.path("name").asText()
                    : res != null && res.provenance().scenario() != null ? res.provenance().scenario().name()
                    : head != null ? head.path("name").asText() : "(run.json unreadable)";
            Instant started = m != null && m.hasNonNull("startedAt") ? Instant.parse(m.path("startedAt").asText())
                    : res != null ? Instant.parse(res.provenance().startedAt()) : head != null
                    ? Instant.parse(head.path("startedAt").asText()) : Files.getLastModifiedTime(d).toInstant();
            ManagedRun r = new ManagedRun(d.getFileName().toString(), name, d, started, ServedStatus.ABORTED,
                    Redactor.NONE);
            ServedStatus status = m == null ? ServedStatus.RUNNING : ServedStatus.fromJson(m.path("status").asText("running"));
            if (res != null) {
                r.finished(res);
                r.end(ServedStatus.of(res.status()), res.failure());
            } else if (status.going() && Files.exists(journal)) {
                rebuild(r, d);
            } else {
                r.end(status.going() ? ServedStatus.ABORTED : status, m == null ? "run.json could not be read and "
                        + "there is no result or journal" : m.path("failure").isMissingNode()
                        ? "the service stopped while the run went on" : m.path("failure").asText());
            }
            return r;
        } catch (IOException | RuntimeException e) {
            return null; // not a run directory of ours
        }
    }

    /** The first line of a journal (its name and start), or null. */
    private static JsonNode journalHead(Path journal) {
        if (!Files.exists(journal)) {
            return null;
        }
        try (BufferedReader in = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            JsonNode head = ManagedRun.JSON.readTree(in.readLine());
            return head.hasNonNull("name") && head.hasNonNull("startedAt") ? head : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * What a posted scenario is: valid, or its problems (every one, with line and column), within
     * what this server lets a scenario reach.
     *
     * @param overrides {@code key=value} assignments applied to the scenario first (as {@code --set})
     */
    public Scenario validate(String name, String text, List<String> overrides) throws InvalidScenarioException {
        Config c = config;
        return ScenarioLoader.parse(name, text, new ScenarioLoader.Options(c.env(), overrides, false)
                .confinedTo(c.confinement()), c.confinement().filesDir() != null ? c.confinement().filesDir() : c.data());
    }

    /**
     * A run the process died in: its result rebuilt from its journal (status aborted) and written
     * with its reports, or, when that cannot be, aborted without figures.
     */
    private void rebuild(ManagedRun r, Path d) {
        try {
            var rebuilt = JournalReplay.rebuild(d, config.env(), config.confinement());
            Reports.saveAll(rebuilt.result(), d.resolve("result.json"), d,
                    rebuilt.scenario().redactor());
            r.finished(rebuilt.result());
            r.end(ServedStatus.ABORTED, rebuilt.result().failure());
            writeMeta(r);
        } catch (JournalReplay.NotRebuildable e) {
            r.end(ServedStatus.ABORTED, "the service stopped while the run went on; " + e.getMessage());
        }
    }

    /** Runs now, or their count. */
    public long active() {
        return runs.values().stream().filter(ManagedRun::running).count();
    }

    public boolean atCapacity() {
        return active() >= config.maxRuns();
    }

    /**
     * Starts {@code scenario} (already validated from {@code text}); null when the maximum number of
     * runs is reached.
     */
    public synchronized ManagedRun start(Scenario scenario, String text) throws IOException {
        if (atCapacity()) {
            return null;
        }
        Instant now = Instant.now();
        String id = ID.format(now) + "-" + String.format("%04d", counter.incrementAndGet() % 10000);
        Path dir = config.data().resolve(id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("scenario.yaml"), text, StandardCharsets.UTF_8);
        ManagedRun run = new ManagedRun(id, scenario.name(), dir, now, ServedStatus.RUNNING, scenario.redactor());
        writeMeta(run);
        runs.put(id, run);
        List<LiveExporter> xs = exports.of(id, scenario.name(), scenario.redactor());
        RunListener listener = run;
        for (LiveExporter x : xs) {
            listener = new BothListeners(listener, x);
        }
        RunSession session = new RunSession(scenario, new RunSession.Settings(dir, config.version(), config.eventLoops(),
                Shard.WHOLE, null), vertx, listener);
        run.session = session;
        Thread t = new Thread(() -> execute(run, session, xs), "loadleak-run-" + id);
        t.setDaemon(true);
        t.start();
        return run;
    }

    /**
     * A run the CLI drives ({@code run --dashboard}) that the dashboard follows: it writes to
     * {@code dir}; the caller passes the returned run as a listener and ends it.
     */
    public synchronized ManagedRun attach(Scenario scenario, Path dir) {
        Instant now = Instant.now();
        String id = ID.format(now) + "-" + String.format("%04d", counter.incrementAndGet() % 10000);
        ManagedRun run = new ManagedRun(id, scenario.name(), dir.toAbsolutePath(), now, ServedStatus.RUNNING,
                scenario.redactor());
        runs.put(id, run);
        return run;
    }

    private void execute(ManagedRun run, RunSession session, List<LiveExporter> xs) {
        try {
            RunOutcome o = session.execute();
            run.exports = xs.stream().map(LiveExporter::summary).toList();
            run.finished(o.result());
            record(run, o.result());
            run.end(ServedStatus.of(o.result().status()), o.result().failure());
        } catch (RunFailure f) {
            run.end(ServedStatus.COULD_NOT_RUN, f.getMessage());
        } catch (RuntimeException | Error e) {
            run.end(ServedStatus.FAILED, e.toString());
        }
        writeMeta(run);
    }

    /** Records a run that measured something in the history; the run's summary says how that went. */
    private void record(ManagedRun run, RunResult result) {
        Path file = history;
        if (file == null || result.status() == RunStatus.FAILED) {
            return;
        }
        String text = null;
        try {
            text = Files.readString(run.dir.resolve("scenario.yaml"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // recorded without the scenario's hash
        }
        try {
            run.history = HistoryStore.append(file, result, historyLabels, text) ? "recorded" : "already recorded";
        } catch (SQLException | RuntimeException e) {
            run.history = "not recorded: " + e.getMessage();
        }
    }

    private void writeMeta(ManagedRun run) {
        ObjectNode m = run.summary();
        try {
            Durable.write(run.dir.resolve("run.json"), m.toPrettyString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the run goes on; its result.json still says how it ended
        }
    }

    public ManagedRun get(String id) {
        return runs.get(id);
    }

    /** Newest first. */
    public List<ManagedRun> list() {
        return runs.values().stream().sorted(Comparator.comparing((ManagedRun r) -> r.created).reversed()
                .thenComparing(r -> r.id, Comparator.reverseOrder())).toList();
    }

    /** Stops a run as SIGINT does; false when it is not running. */
    public boolean stop(String id) {
        ManagedRun r = runs.get(id);
        if (r == null || !r.running() || r.session == null) {
            return false;
        }
        r.stopping();
        r.session.stop();
        return true;
    }

    /** Prometheus text for the runs this service knows (GET /metrics while serving). */
    @Override
    public String metricsText() throws IOException {
        return ServiceMetrics.render(this);
    }

    /** Whether the data directory can be written now. */
    public boolean writable() {
        Config c = config;
        if (c == null) {
            return false;
        }
        try {
            Path probe = Files.createTempFile(c.data(), ".ready", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
