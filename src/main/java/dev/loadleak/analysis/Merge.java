package dev.loadleak.analysis;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.Generator;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Combines the results of the shards of one run ({@code --shard I/N}) into the result of the whole
 * run, exactly where the data allow it:
 * <ul>
 *   <li>overall, per-request and per-phase figures: the shards' HdrHistograms (corrected and
 *   uncorrected) are added and the percentiles read from the sum, so they equal those of one
 *   histogram of every recorded value; counts (requests, errors by kind, sends, late sends, bytes)
 *   are summed. Throughput is the total over the longest shard's measured duration (the shards
 *   run at the same time);</li>
 *   <li>the per-second timeline: each shard's seconds are placed by wall-clock time (its
 *   {@code startedAt} is the wall time of its second 0) and counts are summed; each second's
 *   percentiles come from the shards' per-second interval histograms (their {@code .hlog} files)
 *   added together when the caller provides them, else they are the largest of the shards' (an
 *   upper bound, said in the warnings);</li>
 *   <li>memory and target metrics: from the one shard that sampled them (shard 0);</li>
 *   <li>the send-lag summary: the largest of the shards' (an upper bound).</li>
 * </ul>
 * The merged run is then scored with the scenario's criteria like any other run.
 */
public final class Merge {
    private Merge() {
    }

    /** A shard's result and, when its .hlog file was found, its per-second corrected histograms by epoch millisecond. */
    public record ShardInput(String source, RunResult result, Map<Long, Histogram> secondsByEpochMillis) {
    }

    /** The shards cannot be combined (different runs, a shard missing or given twice). */
    public static final class MergeException extends Exception {
        public MergeException(String message) {
            super(message);
        }
    }

    public static RunResult merge(List<ShardInput> inputs) throws MergeException {
        List<ShardInput> shards = check(inputs);
        RunResult first = shards.get(0).result();
        long start = shards.stream().mapToLong(s -> startMillis(s.result())).min().orElseThrow();
        long end = shards.stream().mapToLong(s -> Instant.parse(s.result().provenance().startedAt()).toEpochMilli()
                + Math.round(s.result().load().durationSeconds() * 1000)).max().orElseThrow();

        Stats overall = add(shards.stream().map(s -> s.result().load().overall()).toList());
        Map<String, Stats> requests = new LinkedHashMap<>();
        for (String name : first.load().requests().keySet()) {
            requests.put(name, add(shards.stream().map(s -> s.result().load().requests().get(name)).toList()));
        }
        Map<String, Stats> phases = new LinkedHashMap<>();
        for (String name : first.load().phases().keySet()) {
            phases.put(name, add(shards.stream().map(s -> s.result().load().phases().get(name)).toList()));
        }
        boolean exactSeconds = shards.stream().allMatch(s -> s.secondsByEpochMillis() != null);
        List<TimelinePoint> timeline = timeline(shards, start, exactSeconds);

        List<String> warnings = new ArrayList<>();
        for (ShardInput s : shards) {
            for (String w : s.result().warnings()) {
                warnings.add("shard " + s.result().provenance().shard() + ": " + w);
            }
        }
        if (!exactSeconds) {
            warnings.add("some shards' .hlog files were not found beside their result.json: each second's percentiles "
                    + "in the timeline are the largest of the shards' (an upper bound); the run's totals are exact");
        }
        long spread = shards.stream().mapToLong(s -> startMillis(s.result())).max()
                .orElseThrow() - start;
        if (spread > 2000) {
            warnings.add(String.format(Locale.ROOT, "the shards started %.1f s apart: the merged run's load was below the "
                    + "scenario's at its start and end (start them together, e.g. as one Kubernetes Indexed Job)",
                    spread / 1000.0));
        }

        RunStatus status = shards.stream().map(s -> s.result().status()).filter(st -> st != RunStatus.COMPLETED)
                .findFirst().orElse(RunStatus.COMPLETED);
        RunResult memorySource = shards.stream().map(ShardInput::result)
                .filter(r -> r.targetMemory().memory() != null && !r.targetMemory().memory().isEmpty()).findFirst()
                .orElse(first);
        Map<String, String> samples = new LinkedHashMap<>();
        shards.forEach(s -> s.result().load().errorSamples().forEach(samples::putIfAbsent));
        RunResult merged = RunResult.builder().status(status).loadleakVersion(first.provenance().loadleakVersion())
                .scenario(first.provenance().scenario()).startedAt(Instant.ofEpochMilli(start).toString())
                .durationSeconds((end - start) / 1000.0)
                .intendedRequests(shards.stream().mapToLong(s -> s.result().load().intendedRequests()).sum())
                .overall(overall).requests(requests).phases(phases).sendLagMicros(maxLag(shards)).errorSamples(samples)
                .timeline(timeline).memory(memorySource.targetMemory().memory())
                .targetMetrics(memorySource.targetMemory().targetMetrics())
                .warnings(warnings)
                .connectionsOpened(shards.stream().mapToLong(s -> s.result().load().connectionsOpened()).sum())
                .generator(generator(shards, (end - start) / 1000.0))
                .failure(shards.stream().map(s -> s.result().failure()).filter(f -> f != null).findFirst().orElse(null))
                .mergedFrom(shards.stream().map(ShardInput::source).toList())
                .flows(flows(shards.stream().map(s -> s.result().userFlows().flows()).toList(), overall.durationSeconds()))
                .build();
        return merged;
    }

    private static List<ShardInput> check(List<ShardInput> inputs) throws MergeException {
        if (inputs.isEmpty()) {
            throw new MergeException("nothing to merge");
        }
        List<ShardInput> sorted = new ArrayList<>(inputs);
        for (ShardInput s : sorted) {
            if (s.result().provenance().shard() == null) {
                throw new MergeException(s.source() + " is not a shard's result (run with --shard I/N)");
            }
        }
        sorted.sort(Comparator.comparingInt(s -> s.result().provenance().shard().index()));
        RunResult first = sorted.get(0).result();
        int count = first.provenance().shard().count();
        boolean[] seen = new boolean[count];
        RunResult.ScenarioInfo ran = first.provenance().scenario();
        for (ShardInput s : sorted) {
            RunResult r = s.result();
            RunResult.ScenarioInfo other = r.provenance().scenario();
            if (r.provenance().shard().count() != count) {
                throw new MergeException(s.source() + " is shard " + r.provenance().shard() + ", but "
                        + sorted.get(0).source() + " is " + first.provenance().shard() + ": shards of different runs");
            }
            if (!other.name().equals(ran.name()) || !other.target().equals(ran.target())
                    || !r.load().requests().keySet().equals(first.load().requests().keySet())
                    || !r.load().phases().keySet().equals(first.load().phases().keySet())) {
                throw new MergeException(s.source() + " ran " + other.name() + " against " + other.target()
                        + ", " + sorted.get(0).source() + " ran " + ran.name() + " against " + ran.target()
                        + ": shards of different scenarios");
            }
            int i = r.provenance().shard().index();
            if (seen[i]) {
                throw new MergeException("shard " + r.provenance().shard() + " is given twice (" + s.source() + ")");
            }
            seen[i] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!seen[i]) {
                missing.add(i + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            throw new MergeException("shard" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " missing: a merged run must have every shard's result");
        }
        return sorted;
    }

    /** The shards' flows: iterations and skipped steps summed, iteration-duration histograms added. */
    static Map<String, FlowResult> flows(List<Map<String, FlowResult>> parts, double seconds) {
        if (parts.isEmpty() || parts.get(0) == null) {
            return null;
        }
        Map<String, FlowResult> out = new LinkedHashMap<>();
        for (String name : parts.get(0).keySet()) {
            long started = 0;
            long completed = 0;
            long failed = 0;
            long aborted = 0;
            long skipped = 0;
            Map<String, Long> byStep = new LinkedHashMap<>();
            Histogram c = null;
            Histogram u = null;
            FlowResult any = null;
            FlowResult.Realtime rt = null;
            for (Map<String, FlowResult> p : parts) {
                FlowResult f = p == null ? null : p.get(name);
                if (f == null) {
                    continue;
                }
                any = f;
                started += f.started();
                completed += f.completed();
                failed += f.failed();
                aborted += f.aborted();
                skipped += f.skipped();
                f.skippedByStep().forEach((k, v) -> byStep.merge(k, v, Long::sum));
                rt = FlowResult.Realtime.sum(rt, f.realtime(), seconds);
                if (f.histograms() != null) {
                    Histogram fc = Stats.decode(f.histograms().corrected());
                    Histogram fu = Stats.decode(f.histograms().uncorrected());
                    c = c == null ? fc : plus(c, fc);
                    u = u == null ? fu : plus(u, fu);
                }
            }
            boolean has = c != null && c.getTotalCount() > 0;
            out.put(name, new FlowResult(name, any.weight(), any.steps(), started, completed, failed, aborted,
                    FlowResult.failureRate(completed, failed), skipped, byStep,
                    has ? new Stats.Latency(Stats.Summary.of(c), Stats.Summary.of(u)) : null,
                    has ? new Stats.Histograms(Stats.encode(c), Stats.encode(u), null) : null, rt));
        }
        return out;
    }

    /** The sum of the shards' figures: histograms added, counts summed, over the longest duration. */
    static Stats add(List<Stats> parts) {
        Histogram corrected = null;
        Histogram uncorrected = null;
        Histogram answered = new Histogram(3);
        answered.setAutoResize(true);
        long[] byKind = new long[ErrorKind.values().length];
        long late = 0;
        long sent = 0;
        long upload = 0;
        double duration = 0;
        for (Stats s : parts) {
            if (s == null) {
                continue;
            }
            Histogram c = Stats.decode(s.histograms().corrected());
            Histogram u = Stats.decode(s.histograms().uncorrected());
            corrected = corrected == null ? c : plus(corrected, c);
            uncorrected = uncorrected == null ? u : plus(uncorrected, u);
            if (s.histograms().answeredErrors() != null) {
                answered = plus(answered, Stats.decode(s.histograms().answeredErrors()));
            }
            for (ErrorKind k : ErrorKind.values()) {
                byKind[k.ordinal()] += s.errorsByKind().getOrDefault(k.label(), 0L);
            }
            late += s.lateSends();
            sent += s.sent();
            upload += s.uploadBytes();
            duration = Math.max(duration, s.durationSeconds());
        }
        if (corrected == null) {
            throw new IllegalArgumentException("no figures to add");
        }
        return Stats.of(corrected, uncorrected, answered, byKind, late, sent, upload, duration);
    }

    private static Histogram plus(Histogram a, Histogram b) {
        if (b.getMaxValue() > a.getHighestTrackableValue() && !a.isAutoResize()) {
            a.setAutoResize(true);
        }
        a.add(b);
        return a;
    }

    private static List<TimelinePoint> timeline(List<ShardInput> shards, long start, boolean exact) {
        TreeMap<Long, long[]> counts = new TreeMap<>();
        TreeMap<Long, long[]> approx = new TreeMap<>();
        TreeMap<Long, Histogram> hist = new TreeMap<>();
        TreeMap<Long, long[]> gauges = new TreeMap<>();
        TreeMap<Long, Map<String, Long>> kinds = new TreeMap<>();
        for (ShardInput s : shards) {
            long offset = Math.round((startMillis(s.result()) - start) / 1000.0);
            for (TimelinePoint p : s.result().load().timeline()) {
                long second = p.second() + offset;
                long[] c = counts.computeIfAbsent(second, k -> new long[2]);
                c[0] += p.requests();
                c[1] += p.errors();
                long[] a = approx.computeIfAbsent(second, k -> new long[4]);
                a[0] = Math.max(a[0], p.p50());
                a[1] = Math.max(a[1], p.p95());
                a[2] = Math.max(a[2], p.p99());
                a[3] = Math.max(a[3], p.max());
                // shards' connections and requests in flight add up; -1 (unknown) stays unknown
                long[] g = gauges.computeIfAbsent(second, k -> new long[] {0, 0, -1});
                g[0] = g[0] < 0 || p.inFlight() < 0 ? -1 : g[0] + p.inFlight();
                g[1] = g[1] < 0 || p.connections() < 0 ? -1 : g[1] + p.connections();
                g[2] = p.realtimeOpen() == null ? g[2] : Math.max(0, g[2]) + p.realtimeOpen();
                if (p.errorsByKind() != null) {
                    Map<String, Long> m = kinds.computeIfAbsent(second, k -> new LinkedHashMap<>());
                    p.errorsByKind().forEach((k, v) -> m.merge(k, v, Long::sum));
                }
            }
            if (exact) {
                for (Map.Entry<Long, Histogram> e : s.secondsByEpochMillis().entrySet()) {
                    long second = Math.round((e.getKey() - start) / 1000.0);
                    Histogram h = hist.get(second);
                    hist.put(second, h == null ? e.getValue().copy() : plus(h, e.getValue()));
                }
            }
        }
        List<TimelinePoint> out = new ArrayList<>();
        for (Map.Entry<Long, long[]> e : counts.entrySet()) {
            long second = e.getKey();
            Histogram h = hist.get(second);
            long[] a = approx.get(second);
            long[] g = gauges.get(second);
            if (exact) {
                boolean any = h != null && h.getTotalCount() > 0;
                out.add(new TimelinePoint(second, e.getValue()[0], e.getValue()[1],
                        any ? h.getValueAtPercentile(50) : 0, any ? h.getValueAtPercentile(95) : 0,
                        any ? h.getValueAtPercentile(99) : 0, any ? h.getMaxValue() : 0, g[0], g[1], kinds.get(second),
                        g[2] < 0 ? null : g[2]));
            } else {
                out.add(new TimelinePoint(second, e.getValue()[0], e.getValue()[1], a[0], a[1], a[2], a[3], g[0], g[1],
                        kinds.get(second), g[2] < 0 ? null : g[2]));
            }
        }
        return out;
    }

    private static Stats.Summary maxLag(List<ShardInput> shards) {
        Stats.Summary m = null;
        for (ShardInput s : shards) {
            Stats.Summary l = s.result().load().sendLagMicros();
            if (l == null) {
                continue;
            }
            m = m == null ? l : new Stats.Summary(Math.max(m.p50(), l.p50()), Math.max(m.p90(), l.p90()),
                    Math.max(m.p95(), l.p95()), Math.max(m.p99(), l.p99()), Math.max(m.p999(), l.p999()),
                    Math.max(m.max(), l.max()), Math.max(m.mean(), l.mean()));
        }
        return m;
    }

    private static Generator generator(List<ShardInput> shards, double seconds) {
        long peak = 0;
        double cpu = 0;
        int cores = 0;
        int loops = 0;
        String client = null;
        boolean any = false;
        for (ShardInput s : shards) {
            Generator g = s.result().provenance().generator();
            if (g != null) {
                any = true;
                peak = Math.max(peak, g.peakRssBytes());
                cpu += g.cpuSeconds();
                cores += g.cores();
                loops += g.eventLoops();
                client = client == null ? g.client() : client;
            }
        }
        if (!any) {
            return null;
        }
        double share = seconds <= 0 || cores == 0 ? 0 : Math.round(cpu / (seconds * cores) * 1000) / 1000.0;
        return new Generator(peak, Math.round(cpu * 1000) / 1000.0, cores, loops, share, client);
    }

    private static long startMillis(RunResult r) {
        return Instant.parse(r.provenance().startedAt()).toEpochMilli();
    }
}
