package dev.loadleak.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loadleak.analysis.LoadOutcome;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.FlowCounts;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.metrics.Totals;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Shard;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.scenario.Confinement;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/**
 * Rebuilds the result of a run that ended without writing one, from its {@link Journal}: the
 * scenario is loaded again from the text the journal kept, each second's histograms are added up
 * per cell (exactly: the same sums the run would have made), the counters are the last line's, and
 * the memory series are the samples written. The result is marked {@link RunStatus#ABORTED} and
 * scored like an interrupted run: over the part that ran. A last line cut short by the kill is
 * left out.
 */
public final class JournalReplay {
    private JournalReplay() {
    }

    /** What went wrong reading a journal, said for the user. */
    public static final class NotRebuildable extends Exception {
        NotRebuildable(String message) {
            super(message);
        }
    }

    /**
     * @param env         the environment the scenario's {@code ${env:…}} read (a missing one is empty:
     *                    its values do not change the figures)
     * @param confinement what the scenario may reach when loaded again ({@link Confinement#NONE} on the command line)
     */
    /** The rebuilt result, and the scenario as loaded again (its secrets to redact on the way out). */
    public record Rebuilt(RunResult result, Scenario scenario) {
    }

    public static Rebuilt rebuild(Path dir, Function<String, String> env, Confinement confinement)
            throws NotRebuildable {
        Path file = dir.resolve(Journal.FILE);
        // line by line: a soak's journal is tens of MB, and only the sums are kept
        // decoded leniently: a kill can cut the last line inside a character, and that line is left out anyway
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            JsonNode head = parse(in.readLine());
            if (head == null || head.path("journal").asInt() != 1) {
                throw new NotRebuildable(file + ": not a loadleak journal");
            }
            Scenario scenario = scenario(file, head.path("scenario"), env, confinement);
            EnginePlan plan = EnginePlan.of(scenario);
            Sums sums = new Sums(plan.phases().size(), plan.requests().size());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode n = parse(line);
                if (n == null || !n.has("t")) {
                    break; // the line the kill cut short (the last one): every whole second before it counts
                }
                sums.add(n);
            }
            return rebuilt(head, scenario, plan, sums);
        } catch (IOException | UncheckedIOException e) {
            throw new NotRebuildable(dir + " has no result.json and no readable " + Journal.FILE + " ("
                    + e.getClass().getSimpleName() + "): nothing to rebuild a result from");
        }
    }

    private static Rebuilt rebuilt(JsonNode head, Scenario scenario, EnginePlan plan, Sums sums) {
        Instant startedAt = Instant.parse(head.path("startedAt").asText());
        LoadOutcome outcome = new LoadOutcome(RunStatus.ABORTED, sums.lastSecond, 0, 0, "unknown (rebuilt from the journal)",
                String.format(java.util.Locale.ROOT, "the process ended without writing its result; rebuilt from %s "
                        + "up to second %.1f", Journal.FILE, sums.lastSecond));
        Shard shard = new Shard(head.path("shardIndex").asInt(0), Math.max(1, head.path("shardCount").asInt(1)));
        return new Rebuilt(MeasuredResult.assemble(scenario, plan, sums.totals(), sums.series(), outcome, startedAt,
                head.path("version").asText("unknown"), shard, null, List.of()), scenario);
    }

    private static JsonNode parse(String line) {
        try {
            return line == null || line.isBlank() ? null : Journal.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Scenario scenario(Path file, JsonNode s, Function<String, String> env, Confinement confinement)
            throws NotRebuildable {
        if (s.isMissingNode() || !s.has("text")) {
            throw new NotRebuildable(file + " does not keep the scenario that ran (a hunt segment, or a scenario built "
                    + "in code): its result cannot be rebuilt");
        }
        List<String> overrides = new ArrayList<>();
        s.path("overrides").forEach(o -> overrides.add(o.asText()));
        ScenarioLoader.Options options = new ScenarioLoader.Options(env, overrides, s.path("allowLong").asBoolean())
                .toleratingMissingEnv(name -> { }).confinedTo(confinement);
        try {
            Scenario sc = ScenarioLoader.parse(s.path("file").asText("scenario.yaml"), s.path("text").asText(), options,
                    Path.of(s.path("baseDir").asText(".")));
            return s.has("durationNanos") ? sc.withDurationNanos(s.path("durationNanos").asLong()) : sc;
        } catch (InvalidScenarioException e) {
            throw new NotRebuildable("the scenario kept in " + file + " no longer loads (a file it names may be gone): "
                    + e.problems().get(0));
        }
    }

    /** The journal's lines added up. */
    private static final class Sums {
        final int phases;
        final int requests;
        final Histogram[] corrected;
        final Histogram[] uncorrected;
        final Histogram[] errors;
        final Histogram[] lag;
        long[] errorCounts;
        long[] late;
        long[] sent;
        long[] upload;
        final String[] details = new String[ErrorKind.values().length];
        JsonNode flows;
        final List<TimelinePoint> timeline = new ArrayList<>();
        final Map<Integer, Memory> memory = new TreeMap<>();
        double lastSecond;

        Sums(int phases, int requests) {
            this.phases = phases;
            this.requests = requests;
            int cells = phases * requests;
            corrected = Collector.newHistograms(cells);
            uncorrected = Collector.newHistograms(cells);
            errors = Collector.newHistograms(cells);
            lag = Collector.newHistograms(phases);
            errorCounts = new long[cells * details.length];
            late = new long[cells];
            sent = new long[cells];
            upload = new long[cells];
        }

        void add(JsonNode n) {
            addAll(corrected, n.path("c"));
            addAll(uncorrected, n.path("u"));
            addAll(errors, n.path("e"));
            addAll(lag, n.path("lag"));
            errorCounts = longs(n.path("errors"), errorCounts);
            late = longs(n.path("late"), late);
            sent = longs(n.path("sent"), sent);
            upload = longs(n.path("upload"), upload);
            n.path("details").fields().forEachRemaining(d -> {
                int k = Integer.parseInt(d.getKey());
                if (k >= 0 && k < details.length) {
                    details[k] = d.getValue().asText();
                }
            });
            if (n.has("flows")) {
                flows = n.get("flows");
            }
            if (n.has("points")) {
                n.get("points").forEach(p -> timeline.add(Journal.JSON.convertValue(p, TimelinePoint.class)));
            } else {
                timeline.add(Journal.JSON.convertValue(n.get("point"), TimelinePoint.class));
            }
            for (JsonNode m : n.path("memory")) {
                Memory series = memory.computeIfAbsent(m.path("i").asInt(), i -> new Memory(m.path("name").asText(),
                        MemoryKind.of(m.path("kind").asText()), m.path("postGc").asBoolean()));
                for (int k = 0; k < m.path("t").size(); k++) {
                    series.seconds.add(m.path("t").get(k).asDouble());
                    series.values.add(m.path("v").get(k).asDouble());
                }
                if (m.has("gaps")) {
                    series.gaps.clear();
                    m.path("gaps").forEach(g -> series.gaps.add(new MemorySampler.Gap(g.path("second").asDouble(),
                            g.path("until").asDouble(), g.path("count").asInt(), g.path("reason").asText())));
                }
            }
            lastSecond = n.path("t").get(1).asDouble();
        }

        private static void addAll(Histogram[] into, JsonNode encoded) {
            encoded.fields().forEachRemaining(e -> {
                int i = Integer.parseInt(e.getKey());
                if (i >= 0 && i < into.length) {
                    into[i].add(Stats.decode(e.getValue().asText()));
                }
            });
        }

        private static long[] longs(JsonNode a, long[] fallback) {
            if (!a.isArray() || a.size() != fallback.length) {
                return fallback;
            }
            long[] out = new long[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.get(i).asLong();
            }
            return out;
        }

        Totals totals() {
            return new Totals(phases, requests, corrected, uncorrected, errors, errorCounts, late, sent, upload, lag,
                    List.copyOf(timeline), details, flowSnapshot());
        }

        private FlowCounts.Snapshot flowSnapshot() {
            if (flows == null) {
                return null;
            }
            int cells = flows.path("phases").asInt() * flows.path("flows").asInt();
            Histogram[] c = Collector.newHistograms(cells);
            Histogram[] u = Collector.newHistograms(cells);
            addAll(c, flows.path("c"));
            addAll(u, flows.path("u"));
            return new FlowCounts.Snapshot(flows.path("phases").asInt(), flows.path("flows").asInt(),
                    flows.path("requests").asInt(), Journal.JSON.convertValue(flows.get("started"), long[].class),
                    Journal.JSON.convertValue(flows.get("ended"), long[].class),
                    Journal.JSON.convertValue(flows.get("skipped"), long[].class), c, u,
                    flows.has("realtime") ? Journal.JSON.convertValue(flows.get("realtime"), long[].class) : null);
        }

        List<MemorySampler.Series> series() {
            List<MemorySampler.Series> out = new ArrayList<>();
            for (Memory m : memory.values()) {
                out.add(new MemorySampler.Series(m.name, m.kind, m.postGc,
                        m.seconds.stream().mapToDouble(Double::doubleValue).toArray(),
                        m.values.stream().mapToDouble(Double::doubleValue).toArray(), List.copyOf(m.gaps)));
            }
            return out;
        }
    }

    private static final class Memory {
        final String name;
        final MemoryKind kind;
        final boolean postGc;
        final List<Double> seconds = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final List<MemorySampler.Gap> gaps = new ArrayList<>();

        Memory(String name, MemoryKind kind, boolean postGc) {
            this.name = name;
            this.kind = kind;
            this.postGc = postGc;
        }
    }
}
