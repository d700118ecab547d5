package dev.loadleak.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.run.LiveSnapshot;
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
    private volatile ServedStatus status;
    /** What the run published last (the one live view: SSE, the dashboard and /metrics render it), or null. */
    private volatile LiveSnapshot live;
    /** The total seconds and pace of the latest snapshot, kept after the end for late subscribers. */
    private volatile long total;
    private volatile String pace = "";
    private volatile RunResult result;
    /** Each criterion as the latest live scoring had it (kept after the end), or null before any. */
    private volatile ArrayNode criteria;
    /** The finished run's verdict, score and duration, kept once its result is let go. */
    private volatile ObjectNode ending;
    private volatile String failure;
    /** What became of recording this run in {@code serve --history} (null when there is none). */
    volatile String history;
    /** What each {@code serve --output} sent and dropped of this run, once it ended (empty without any). */
    volatile java.util.List<String> exports = java.util.List.of();

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

    /**
     * Each criterion as it stands: its expression, level, the value so far, and pass, fail or
     * inconclusive (over the part that ran, as an interrupted run is scored); then the verdict and
     * score it would give now.
     */
    static ObjectNode criteriaOf(RunResult r, Redactor redactor) {
        ObjectNode n = JSON.createObjectNode().put("verdict", r.scoring().verdict().display())
                .put("score", r.scoring().score());
        ArrayNode list = n.putArray("list");
        for (CriterionResult c : r.scoring().criteria()) {
            ObjectNode o = list.addObject().put("level", c.level().word()).put("expression", redactor.redact(c.expression()))
                    .put("actual", c.actualText() == null ? null : redactor.redact(c.actualText()))
                    .put("pass", c.pass()).put("outcome", c.outcome() == null ? null : c.outcome().word());
            if (c.message() != null) {
                o.put("message", redactor.redact(c.message()));
            }
        }
        return n;
    }

    /** The run's latest live snapshot while it runs (null before its first second and after its end). */
    LiveSnapshot live() {
        return live;
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
        RunResult r = result;
        LiveSnapshot now = live;
        return r != null ? r.targetMemory().memory() : now == null ? List.of() : now.leak();
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

    /** The dashboard, the events and /metrics show each criterion and the leak estimate as they stand. */
    @Override
    public boolean readsScoring() {
        return true;
    }

    @Override
    public void live(LiveSnapshot now) {
        synchronized (this) {
            points.add(now.point());
            while (points.size() > POINTS) {
                points.poll();
            }
        }
        live = now;
        total = now.totalSeconds();
        pace = now.pace();
        ObjectNode e = JSON.createObjectNode();
        e.put("elapsedSeconds", now.elapsedSeconds()).put("totalSeconds", now.totalSeconds()).put("pace", now.pace())
                .put("totalErrors", now.totalErrors());
        e.set("point", JSON.valueToTree(now.point()));
        e.set("memory", memoryOf(now));
        RunResult r = now.scored();
        if (now.scoredNow() && r != null) {
            e.put("phase", phaseAt(r, now.elapsedSeconds()));
            ArrayNode starts = e.putArray("phases");
            double at = 0;
            for (RunResult.PhaseInfo ph : r.provenance().scenario().phases()) {
                starts.addObject().put("name", ph.name()).put("startSecond", at);
                at += ph.durationSeconds();
            }
            e.set("leak", leakOf(r.targetMemory().memory()));
            ObjectNode scored = criteriaOf(r, redactor);
            criteria = (ArrayNode) scored.get("list");
            e.set("criteria", scored);
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
            e.put("verdict", r.scoring().verdict().display()).put("score", r.scoring().score());
        }
        if (failure != null) {
            e.put("failure", failure);
        }
        if (r != null) {
            ending = JSON.createObjectNode().put("verdict", r.scoring().verdict().display())
                    .put("score", r.scoring().score()).put("durationSeconds", r.load().durationSeconds());
        }
        publish(new Event("end", e.toString()));
        // what a finished run holds goes: its figures are in result.json, its seconds too
        events.release();
        result = null;
        live = null;
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
        LiveSnapshot now = live;
        n.put("elapsedSeconds", now == null ? 0 : now.elapsedSeconds()).put("totalSeconds", total).put("pace", pace)
                .put("totalErrors", now == null ? 0 : now.totalErrors());
        ArrayNode t = n.putArray("timeline");
        points.forEach(p -> t.add(JSON.valueToTree(p)));
        n.set("memory", memoryOf(now));
        RunResult r = now == null ? null : now.scored();
        if (r != null && running()) {
            n.put("phase", phaseAt(r, now.elapsedSeconds()));
            n.set("soFar", soFarOf(r));
            n.set("leak", leakOf(r.targetMemory().memory()));
        }
        if (criteria != null) {
            n.set("criteria", criteria);
        }
        return n;
    }

    /** The name of the phase that second {@code elapsedSeconds} falls in. */
    static String phaseAt(RunResult r, long elapsedSeconds) {
        double end = 0;
        List<RunResult.PhaseInfo> phases = r.provenance().scenario().phases();
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
        Stats o = r.load().overall();
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
            n.put("verdict", r.scoring().verdict().display()).put("score", r.scoring().score())
                    .put("durationSeconds", r.load().durationSeconds());
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

    /** Each memory source's latest sample as the snapshot has it. */
    private static ArrayNode memoryOf(LiveSnapshot now) {
        ArrayNode out = JSON.createArrayNode();
        if (now != null) {
            for (LiveSnapshot.MemoryNow m : now.memory()) {
                ObjectNode o = out.addObject().put("source", m.source()).put("postGc", m.postGc())
                        .put("samples", m.samples());
                if (m.samples() > 0) {
                    o.put("second", m.second()).put("bytes", m.bytes());
                }
            }
        }
        return out;
    }
}
