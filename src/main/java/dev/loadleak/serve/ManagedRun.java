package dev.loadleak.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.analysis.CriterionResult;
import dev.loadleak.analysis.LeakAnalysis;
import dev.loadleak.analysis.MemorySeries;
import dev.loadleak.analysis.RunResult;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.metrics.Stats;
import dev.loadleak.metrics.TimelinePoint;
import dev.loadleak.metrics.Totals;
import dev.loadleak.run.LiveScoring;
import dev.loadleak.run.RunListener;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.Redactor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One run of the service: where it writes, how it stands, and its live events (one a second, then
 * an {@code end}). Every event is kept, so a client that connects late first receives what it
 * missed; many clients can follow one run. Called from the run's threads and from requests.
 */
public final class ManagedRun implements RunListener {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A Server-Sent Event: its name and JSON data. */
    public record Event(String name, String json) {
    }

    final String id;
    final String name;
    final Path dir;
    final Instant created;
    final Redactor redactor;
    private final EventLog events = new EventLog();
    /** The last {@link #POINTS} seconds of the timeline (the live snapshot's); the rest is in the journal. */
    private final ArrayDeque<TimelinePoint> points = new ArrayDeque<>();
    static final int POINTS = 120;
    volatile RunSession session;
    private volatile MemorySampler sampler;
    private volatile Collector collector;
    private volatile List<String> requests = List.of();
    private volatile ServedStatus status;
    private volatile long elapsed;
    private volatile long total;
    private volatile String pace = "";
    private volatile long totalErrors;
    private volatile RunResult result;
    /** The finished run's verdict, score and duration, kept once its result is let go. */
    private volatile ObjectNode ending;
    private volatile String failure;
    /** What became of recording this run in {@code serve --history} (null when there is none). */
    volatile String history;
    /** What each {@code serve --output} sent and dropped of this run, once it ended (empty without any). */
    volatile java.util.List<String> exports = java.util.List.of();
    private volatile java.util.function.Supplier<RunResult> soFar;
    /** Each criterion as it stands (from the latest provisional scoring), or null before any. */
    private volatile ArrayNode criteriaNow;
    /** The latest provisional scoring: the figures so far and the leak estimate, or null before any. */
    private volatile RunResult provisional;

    ManagedRun(String id, String name, Path dir, Instant created, ServedStatus status, Redactor redactor) {
        this.id = id;
        this.name = name;
        this.dir = dir;
        this.created = created;
        this.status = status;
        this.redactor = redactor;
    }

    ServedStatus status() {
        return status;
    }

    public String id() {
        return id;
    }

    public RunResult result() {
        return result;
    }

    String failure() {
        return failure;
    }

    boolean running() {
        return status.going();
    }

    /** A stop was asked: the run says so until it ends. */
    void stopping() {
        if (status == ServedStatus.RUNNING) {
            status = ServedStatus.STOPPING;
        }
    }

    @Override
    public void sampling(MemorySampler s) {
        sampler = s;
    }

    @Override
    public void scoring(java.util.function.Supplier<RunResult> scorer) {
        soFar = scorer;
    }

    /**
     * Each criterion as it stands: its expression, level, the value so far, and pass, fail or
     * inconclusive (over the part that ran, as an interrupted run is scored); then the verdict and
     * score it would give now.
     */
    static ObjectNode criteriaOf(RunResult r, Redactor redactor) {
        ObjectNode n = JSON.createObjectNode().put("verdict", r.verdict().display()).put("score", r.score());
        ArrayNode list = n.putArray("list");
        for (CriterionResult c : r.criteria()) {
            ObjectNode o = list.addObject().put("level", c.level().word()).put("expression", redactor.redact(c.expression()))
                    .put("actual", c.actualText() == null ? null : redactor.redact(c.actualText()))
                    .put("pass", c.pass()).put("outcome", c.outcome() == null ? null : c.outcome().word());
            if (c.message() != null) {
                o.put("message", redactor.redact(c.message()));
            }
        }
        return n;
    }

    @Override
    public void collecting(Collector c, List<String> names, double warmupEnd) {
        requests = List.copyOf(names);
        collector = c;
    }

    /** Totals so far (null before the load starts), with the request names they are indexed by. */
    Totals totals() {
        Collector c = collector;
        return c == null ? null : c.totals();
    }

    List<String> requests() {
        return requests;
    }

    long elapsedSeconds() {
        return elapsed;
    }

    long totalSeconds() {
        return total;
    }

    /** The latest second of the timeline, or null. */
    synchronized TimelinePoint latest() {
        return points.peekLast();
    }

    /**
     * The leak analysis so far, per memory source (empty before the first scoring): the final
     * result's once there is one, else the latest provisional scoring's, which is assembled by the
     * run's own code with the scenario's threshold and warm-up. The dashboard, SSE and /metrics
     * therefore never judge with other parameters than the result will.
     */
    List<MemorySeries> leak() {
        RunResult r = result != null ? result : provisional;
        return r == null ? List.of() : r.memory();
    }

    /** The current leak estimate per source: verdict, slope and its 95 % interval in MB/h, the post-GC floor. */
    ArrayNode leakNow() {
        return leakOf(leak());
    }

    private static ArrayNode leakOf(List<MemorySeries> series) {
        ArrayNode out = JSON.createArrayNode();
        for (MemorySeries m : series) {
            LeakAnalysis a = m.analysis();
            if (a == null) {
                continue;
            }
            ObjectNode n = out.addObject().put("source", m.source()).put("verdict", a.verdict().name())
                    .put("samples", a.samplesUsed());
            if (a.growthCi95MBPerHour() == null) { // no estimate yet (too few samples): no slope, no interval
                n.put("reason", a.reasons().isEmpty() ? "not enough samples yet" : a.reasons().get(0));
                continue;
            }
            n.put("slopeMBPerHour", a.slopeMBPerHour());
            if (a.ci95MBPerHour() != null) {
                n.putArray("ci95MBPerHour").add(a.ci95MBPerHour()[0]).add(a.ci95MBPerHour()[1]);
            }
            if (a.floor() != null && !a.floor().isEmpty()) {
                double[] last = a.floor().get(a.floor().size() - 1);
                n.put("floorBytes", last[1]);
            }
        }
        return out;
    }

    /** The run's memory sampler while it samples, else null. */
    MemorySampler sampler() {
        return sampler;
    }

    @Override
    public void second(TimelinePoint p, long elapsedSeconds, long totalSeconds, String paceText, long errors) {
        synchronized (this) {
            points.add(p);
            while (points.size() > POINTS) {
                points.poll();
            }
        }
        elapsed = elapsedSeconds;
        total = totalSeconds;
        pace = paceText;
        totalErrors = errors;
        ObjectNode e = JSON.createObjectNode();
        e.put("elapsedSeconds", elapsedSeconds).put("totalSeconds", totalSeconds).put("pace", paceText)
                .put("totalErrors", errors);
        e.set("point", JSON.valueToTree(p));
        e.set("memory", latestMemory());
        if (LiveScoring.due(elapsedSeconds)) {
            // the run scored so far (the leak detector over every sample, each criterion): after 30 s, every 5 s is plenty
            java.util.function.Supplier<RunResult> scorer = soFar;
            RunResult r = null;
            if (scorer != null) {
                try {
                    r = scorer.get();
                } catch (RuntimeException ex) {
                    r = null; // a live view must not break the run: the leak estimate alone, as before
                }
            }
            if (r != null) {
                e.put("phase", phaseAt(r, elapsedSeconds));
                ArrayNode starts = e.putArray("phases");
                double at = 0;
                for (RunResult.PhaseInfo ph : r.scenario().phases()) {
                    starts.addObject().put("name", ph.name()).put("startSecond", at);
                    at += ph.durationSeconds();
                }
                e.set("leak", leakOf(r.memory()));
                provisional = r;
                ObjectNode scoredNow = criteriaOf(r, redactor);
                criteriaNow = (ArrayNode) scoredNow.get("list");
                e.set("criteria", scoredNow);
            } else {
                e.set("leak", leakNow());
            }
        }
        publish(new Event("second", e.toString()));
    }

    @Override
    public void finished(RunResult r) {
        result = r;
    }

    /** The run ended (completed, interrupted, failed, or could not start): the {@code end} event. */
    public void end(ServedStatus finalStatus, String why) {
        status = finalStatus;
        failure = why == null ? null : redactor.redact(why);
        ObjectNode e = JSON.createObjectNode().put("status", finalStatus.json());
        RunResult r = result;
        if (r != null) {
            e.put("verdict", r.verdict().display()).put("score", r.score());
        }
        if (failure != null) {
            e.put("failure", failure);
        }
        if (r != null) {
            ending = JSON.createObjectNode().put("verdict", r.verdict().display()).put("score", r.score())
                    .put("durationSeconds", r.durationSeconds());
        }
        publish(new Event("end", e.toString()));
        // what a finished run holds goes: its figures are in result.json, its seconds too
        events.release();
        result = null;
        provisional = null;
        soFar = null;
        collector = null;
        sampler = null;
        session = null;
    }

    /** Sends every event so far to {@code to} (older seconds from disk), then each new one; false when the run has ended. */
    boolean subscribe(Consumer<Event> to) {
        return events.subscribe(to, dir, total, pace);
    }

    void unsubscribe(Consumer<Event> to) {
        events.remove(to);
    }

    private void publish(Event e) {
        events.publish(e);
    }

    /** The live view: progress, the last 120 seconds of the timeline, the latest memory samples. */
    synchronized ObjectNode snapshot() {
        ObjectNode n = summary();
        n.put("elapsedSeconds", elapsed).put("totalSeconds", total).put("pace", pace).put("totalErrors", totalErrors);
        ArrayNode t = n.putArray("timeline");
        points.forEach(p -> t.add(JSON.valueToTree(p)));
        n.set("memory", latestMemory());
        RunResult r = provisional;
        if (r != null && running()) {
            n.put("phase", phaseAt(r, elapsed));
            n.set("soFar", soFarOf(r));
            n.set("leak", leakOf(r.memory()));
        }
        if (criteriaNow != null) {
            n.set("criteria", criteriaNow);
        }
        return n;
    }

    /** The name of the phase that second {@code elapsedSeconds} falls in. */
    static String phaseAt(RunResult r, long elapsedSeconds) {
        double end = 0;
        List<RunResult.PhaseInfo> phases = r.scenario().phases();
        for (RunResult.PhaseInfo p : phases) {
            end += p.durationSeconds();
            if (elapsedSeconds < end) {
                return p.name();
            }
        }
        return phases.isEmpty() ? "" : phases.get(phases.size() - 1).name();
    }

    /** The scored phases' figures so far: throughput, corrected percentiles (µs), errors by kind. */
    private static ObjectNode soFarOf(RunResult r) {
        Stats o = r.overall();
        ObjectNode n = JSON.createObjectNode().put("scoredSeconds", o.durationSeconds()).put("requests", o.requests())
                .put("errors", o.errors()).put("errorRate", o.errorRate()).put("throughputPerSecond", o.throughputPerSecond());
        if (o.latencyMicros() != null && o.latencyMicros().corrected() != null) {
            n.set("latencyMicros", JSON.valueToTree(o.latencyMicros().corrected()));
        }
        n.set("errorsByKind", JSON.valueToTree(o.errorsByKind()));
        return n;
    }

    /** One line of the run list. */
    ObjectNode summary() {
        ObjectNode n = JSON.createObjectNode().put("id", id).put("name", name).put("status", status.json())
                .put("startedAt", created.toString());
        RunResult r = result;
        ObjectNode done = ending;
        if (r != null) {
            n.put("verdict", r.verdict().display()).put("score", r.score()).put("durationSeconds", r.durationSeconds());
        } else if (done != null) {
            n.setAll(done);
        } else {
            n.putNull("verdict");
        }
        if (failure != null) {
            n.put("failure", failure);
        }
        if (history != null) {
            n.put("history", history);
        }
        if (!exports.isEmpty()) {
            ArrayNode x = n.putArray("exports");
            exports.forEach(x::add);
        }
        return n;
    }

    private ArrayNode latestMemory() {
        ArrayNode out = JSON.createArrayNode();
        MemorySampler s = sampler;
        if (s != null) {
            for (MemorySampler.Series series : s.series()) {
                int n = series.seconds().length;
                ObjectNode m = out.addObject().put("source", series.name()).put("postGc", series.postGc())
                        .put("samples", n);
                if (n > 0) {
                    m.put("second", series.seconds()[n - 1]).put("bytes", series.values()[n - 1]);
                }
            }
        }
        return out;
    }
}
