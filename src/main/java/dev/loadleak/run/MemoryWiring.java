package dev.loadleak.run;

import dev.loadleak.engine.Clock;
import dev.loadleak.metrics.ClassHistograms;
import dev.loadleak.metrics.HttpScraper;
import dev.loadleak.metrics.JvmGc;
import dev.loadleak.metrics.LaunchedProcess;
import dev.loadleak.metrics.MemoryProbe;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.metrics.NodeInspector;
import dev.loadleak.metrics.Probes;
import dev.loadleak.metrics.PrometheusPage;
import dev.loadleak.result.HeapSpaces;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.scenario.Criterion;
import dev.loadleak.scenario.MemoryConfig;
import dev.loadleak.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the memory sampler's sources from a scenario's {@code memory:} block (and the target
 * metrics its criteria name), launching target processes where asked. Closing it stops them.
 */
final class MemoryWiring implements AutoCloseable {

    final List<MemorySampler.Source> sources = new ArrayList<>();
    final List<LaunchedProcess> launched = new ArrayList<>();
    final List<String> launchHealthUrls = new ArrayList<>();
    /** The JVM processes whose class histograms are evidence ({@code evidence: classHistogram}). */
    final List<EvidenceTaker.Target> histograms = new ArrayList<>();
    /** The targets made to collect ({@code forceGc}), and the inspectors to close. */
    final List<ForcedGcs.Target> forced = new ArrayList<>();
    private final List<NodeInspector> inspectors = new ArrayList<>();
    final long intervalNanos;
    /** What the probes found worth saying once (a malformed line the sources did not ask for). */
    final List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();

    private MemoryWiring(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** No memory sources (a shard other than the first). */
    static MemoryWiring none() {
        return new MemoryWiring(MemoryConfig.DEFAULT_INTERVAL_NANOS);
    }

    static MemoryWiring of(Scenario s, Path outDir) {
        MemoryConfig mc = s.memory();
        MemoryWiring w = new MemoryWiring(mc == null ? MemoryConfig.DEFAULT_INTERVAL_NANOS : mc.intervalNanos());
        if (mc == null) {
            return w;
        }
        HttpScraper scraper = new HttpScraper(scrapeTimeout(mc.intervalNanos()), s.defaults().insecure());
        PrometheusPage firstPage = null;
        for (MemoryConfig.Source src : mc.sources()) {
            MemoryProbe probe;
            MemoryKind kind;
            PrometheusPage page = null;
            if (src instanceof MemoryConfig.Prometheus p) {
                page = new PrometheusPage(scraper, p.resolve(s.target()), p.token(), w.warnings::add);
                probe = page.fetching(p.metric(), p.labels());
                kind = MemoryKind.PROMETHEUS;
                firstPage = firstPage == null ? page : firstPage;
            } else if (src instanceof MemoryConfig.Json j) {
                probe = Probes.json(scraper, j.resolve(s.target()), j.pointer());
                kind = MemoryKind.JSON;
            } else if (src instanceof MemoryConfig.Node node) {
                NodeInspector inspector = new NodeInspector(node.host(), node.port(), scrapeTimeout(mc.intervalNanos()),
                        Clock.SYSTEM);
                w.inspectors.add(inspector);
                probe = inspector.heapUsed();
                kind = MemoryKind.NODE;
                if (node.forceGc()) {
                    w.forced.add(new ForcedGcs.Target(node.name(), inspector, node.forceGcEveryNanos(),
                            node.heapSnapshot() ? inspector : null));
                }
            } else {
                probe = w.process((MemoryConfig.Process) src, outDir);
                kind = MemoryKind.PROCESS;
            }
            w.sources.add(new MemorySampler.Source(src.name(), kind, src.postGc(), probe));
            if (page != null) {
                w.nodeHeapSpaces((MemoryConfig.Prometheus) src, page);
            }
        }
        Set<String> targetMetrics = new LinkedHashSet<>();
        for (Criterion c : s.criteria()) {
            if (c.metric().startsWith("target.")) {
                targetMetrics.add(c.metric().substring("target.".length()));
            }
        }
        // target metrics are read from the page the first prometheus source scraped in the same round
        for (String name : targetMetrics) {
            w.sources.add(new MemorySampler.Source(name, MemoryKind.TARGET_METRIC, false, firstPage.cached(name, Map.of())));
        }
        return w;
    }

    /**
     * A Node.js source (a {@code nodejs_…} metric, as prom-client's default metrics name them) also
     * reads {@code nodejs_heap_space_size_used_bytes} of each V8 heap space from the same page, as
     * series {@code SOURCE/SPACE}: evidence of which space grows. Spaces the page does not have
     * (V8 versions differ) stay empty and are left out of the result.
     */
    private void nodeHeapSpaces(MemoryConfig.Prometheus p, PrometheusPage page) {
        if (!p.metric().startsWith("nodejs_")) {
            return;
        }
        for (String space : HeapSpaces.V8_SPACES) {
            Map<String, String> labels = new java.util.LinkedHashMap<>(p.labels());
            labels.put("space", space);
            sources.add(new MemorySampler.Source(p.name() + "/" + space, MemoryKind.HEAP_SPACE, false,
                    page.cached(HeapSpaces.METRIC, labels)));
        }
    }

    /** The probe of a process source: launched here, or found by pid file or pid; its pid noted for evidence. */
    private MemoryProbe process(MemoryConfig.Process p, Path outDir) {
        java.util.function.LongSupplier pid;
        MemoryProbe probe;
        if (p.launch() != null) {
            LaunchedProcess lp;
            Path log = outDir.resolve("target-" + p.name().replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
            try {
                lp = LaunchedProcess.start(p.launch(), log);
            } catch (IOException e) {
                close();
                throw new RunFailure(RunFailure.Kind.COULD_NOT_RUN, "cannot launch \"" + p.launch() + "\": "
                        + e.getMessage());
            }
            launched.add(lp);
            if (p.healthUrl() != null) {
                launchHealthUrls.add(p.healthUrl());
            }
            probe = Probes.launchedRss(lp, Path.of("/proc"));
            pid = lp::pid;
        } else if (p.pidfile() != null) {
            pid = Probes.pidFile(Path.of(p.pidfile()));
            probe = Probes.processRss(pid, Path.of("/proc"));
        } else {
            long fixed = p.pid();
            pid = () -> fixed;
            probe = Probes.processRss(pid, Path.of("/proc"));
        }
        if (p.classHistogram()) {
            histograms.add(new EvidenceTaker.Target(p.name(), pid));
        }
        if (p.forceGc()) {
            Path jcmd = ClassHistograms.jcmd();
            if (jcmd == null) {
                close();
                throw new RunFailure(RunFailure.Kind.COULD_NOT_RUN, "forceGc on " + p.name() + " needs jcmd (a JDK's "
                        + "bin/jcmd, on PATH or beside this java), and there is none on this machine; no load was sent");
            }
            forced.add(new ForcedGcs.Target(p.name(), new JvmGc(jcmd, pid, Clock.SYSTEM), p.forceGcEveryNanos(),
                    null));
        }
        return probe;
    }

    /**
     * A scrape may take several intervals (a loaded target answers /metrics late): it is then a
     * late sample, not a gap. Five intervals, at least 1 s and at most 30 s.
     */
    static Duration scrapeTimeout(long intervalNanos) {
        return Duration.ofMillis(Math.max(1000, Math.min(30_000, 5 * intervalNanos / 1_000_000)));
    }

    boolean any() {
        return !sources.isEmpty();
    }

    /** Whether a launched target process has exited: a preflight that waits for it gives up then. */
    boolean launchedDied() {
        return launched.stream().anyMatch(p -> !p.alive());
    }

    @Override
    public void close() {
        for (NodeInspector i : inspectors) {
            i.close();
        }
        for (LaunchedProcess p : launched) {
            p.close();
        }
    }
}
