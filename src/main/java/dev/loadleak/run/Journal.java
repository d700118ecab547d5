package dev.loadleak.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.FlowCounts;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.result.Shard;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.Scenario;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A run's journal, {@code journal.jsonl} in its output directory, written as the run goes: a head
 * line (when it started, with what scenario and overrides), then one line a second (every 10 s
 * after the first minute) with what those seconds recorded per (phase, request) cell — the
 * corrected, uncorrected and error latency histograms, send lag per phase — the counters so far,
 * the timeline points, and the memory samples taken since the line before. Each line is flushed and
 * forced to the disk as it is written, so a run killed with SIGKILL (or a machine that loses power)
 * leaves every line it wrote; {@link JournalReplay} adds them up into a
 * result marked {@code aborted} ({@code loadleak report DIR}). Secrets are redacted on the way out.
 * Writing is best effort: an I/O error stops the journal with a warning, never the run.
 */
public final class Journal implements Collector.CellListener, AutoCloseable {
    public static final String FILE = "journal.jsonl";
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final BufferedWriter out;
    private final FileChannel channel;
    private final Redactor redactor;
    private final RunListener listener;
    private volatile MemorySampler sampler;
    private int[] memoryWritten = new int[0];
    private String[] gapsWritten = new String[0];
    private String[] detailsWritten = new String[0];
    private boolean failed;
    /**
     * A line a second for the first minute, then one every 10 s (the seconds' histograms added up,
     * each second's timeline point kept): a soak's journal has a tenth of the lines, and a kill
     * loses 10 s at most of a run that long.
     */
    static final int PER_SECOND_LINES = 60;
    static final int LATER_EVERY = 10;
    private Histogram[] pendingC;
    private Histogram[] pendingU;
    private Histogram[] pendingE;
    private Histogram[] pendingLag;
    private final java.util.List<TimelinePoint> pendingPoints = new java.util.ArrayList<>();
    private double pendingStart;
    private Collector.Interval last;
    private int intervals;
    private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

    private Journal(FileOutputStream file, Redactor redactor, RunListener listener) {
        this.out = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8));
        this.channel = file.getChannel();
        this.redactor = redactor;
        this.listener = listener;
    }

    /** Opens the journal in {@code dir} and writes its head; null (with a warning) when it cannot be written. */
    static Journal open(Path dir, Scenario scenario, Redactor redactor, Instant startedAt, String version, Shard shard,
                        RunListener listener) {
        try {
            Journal j = new Journal(new FileOutputStream(dir.resolve(FILE).toFile()), redactor, listener);
            ObjectNode head = JSON.createObjectNode().put("journal", 1).put("name", scenario.name())
                    .put("startedAt", startedAt.toString()).put("version", version)
                    .put("shardIndex", shard.index()).put("shardCount", shard.count());
            Scenario.Origin o = scenario.origin();
            if (o != null) {
                ObjectNode s = head.putObject("scenario").put("file", o.file()).put("text", o.text())
                        .put("baseDir", o.baseDir()).put("allowLong", o.allowLong());
                if (o.durationNanos() != null) {
                    s.put("durationNanos", o.durationNanos());
                }
                ArrayNode ov = s.putArray("overrides");
                o.overrides().forEach(ov::add);
            }
            j.line(head);
            return j;
        } catch (IOException e) {
            listener.warning("no journal (a killed run could not be rebuilt): " + e.getMessage());
            return null;
        }
    }

    /** The memory sampler whose new samples each line carries. */
    void sampling(MemorySampler s) {
        sampler = s;
    }

    @Override
    public synchronized void onCells(Collector.Interval iv) {
        if (failed) {
            return;
        }
        if (pendingC == null || pendingC.length != iv.corrected().length || pendingLag.length != iv.sendLag().length) {
            pendingC = Collector.newHistograms(iv.corrected().length);
            pendingU = Collector.newHistograms(iv.corrected().length);
            pendingE = Collector.newHistograms(iv.corrected().length);
            pendingLag = Collector.newHistograms(iv.sendLag().length);
        }
        addInto(pendingC, iv.corrected());
        addInto(pendingU, iv.uncorrected());
        addInto(pendingE, iv.answeredErrors());
        addInto(pendingLag, iv.sendLag());
        if (pendingPoints.isEmpty()) {
            pendingStart = iv.startSecond();
        }
        pendingPoints.add(iv.point());
        last = iv;
        intervals++;
        if (intervals <= PER_SECOND_LINES || pendingPoints.size() >= LATER_EVERY) {
            writePending();
        }
    }

    private static void addInto(Histogram[] into, Histogram[] from) {
        for (int i = 0; i < from.length; i++) {
            if (from[i].getTotalCount() > 0) {
                into[i].add(from[i]);
            }
        }
    }

    /** One line for the seconds collected since the last: their histograms added up, the latest counters. */
    private void writePending() {
        if (pendingPoints.isEmpty() || failed) {
            return;
        }
        Collector.Interval iv = last;
        ObjectNode n = JSON.createObjectNode();
        n.putArray("t").add(pendingStart).add(iv.endSecond());
        ArrayNode points = n.putArray("points");
        pendingPoints.forEach(p -> points.add(JSON.valueToTree(p)));
        n.set("c", histograms(pendingC));
        n.set("u", histograms(pendingU));
        n.set("e", histograms(pendingE));
        n.set("lag", histograms(pendingLag));
        for (Histogram[] hs : List.of(pendingC, pendingU, pendingE, pendingLag)) {
            for (Histogram h : hs) {
                h.reset();
            }
        }
        pendingPoints.clear();
        n.set("errors", longs(iv.errors()));
        n.set("late", longs(iv.lateSends()));
        n.set("sent", longs(iv.sent()));
        n.set("upload", longs(iv.uploadBytes()));
        details(n, iv.firstErrorDetail());
        if (iv.flows() != null) {
            n.set("flows", flows(iv.flows()));
        }
        memory(n);
        line(n);
    }

    private void details(ObjectNode n, String[] details) {
        if (detailsWritten.length != details.length) {
            detailsWritten = new String[details.length];
        }
        ObjectNode changed = null;
        for (int k = 0; k < details.length; k++) {
            if (details[k] != null && !details[k].equals(detailsWritten[k])) {
                changed = changed == null ? n.putObject("details") : changed;
                changed.put(Integer.toString(k), redactor.redact(details[k]));
                detailsWritten[k] = details[k];
            }
        }
    }

    private ObjectNode flows(FlowCounts.Snapshot f) {
        ObjectNode n = JSON.createObjectNode().put("phases", f.phases()).put("flows", f.flows())
                .put("requests", f.requests());
        n.set("started", longs(f.started()));
        n.set("ended", longs(f.ended()));
        n.set("skipped", longs(f.skipped()));
        if (f.realtime() != null && java.util.Arrays.stream(f.realtime()).anyMatch(x -> x != 0)) {
            n.set("realtime", longs(f.realtime()));
        }
        n.set("c", histograms(f.corrected()));
        n.set("u", histograms(f.uncorrected()));
        return n;
    }

    /** The samples and gaps of each memory series that are new since the last line. */
    private void memory(ObjectNode n) {
        MemorySampler s = sampler;
        if (s == null) {
            return;
        }
        List<MemorySampler.Series> series = s.series();
        if (memoryWritten.length != series.size()) {
            memoryWritten = new int[series.size()];
            gapsWritten = new String[series.size()];
        }
        ArrayNode mem = null;
        for (int i = 0; i < series.size(); i++) {
            MemorySampler.Series m = series.get(i);
            String gaps = m.gaps().isEmpty() ? null : m.gaps().size() + ":" + m.gaps().get(m.gaps().size() - 1);
            boolean newGaps = gaps != null && !gaps.equals(gapsWritten[i]);
            if (m.seconds().length == memoryWritten[i] && !newGaps) {
                continue;
            }
            mem = mem == null ? n.putArray("memory") : mem;
            ObjectNode e = mem.addObject().put("i", i).put("name", m.name()).put("kind", m.kind().toString())
                    .put("postGc", m.postGc());
            ArrayNode t = e.putArray("t");
            ArrayNode v = e.putArray("v");
            for (int k = memoryWritten[i]; k < m.seconds().length; k++) {
                t.add(m.seconds()[k]);
                v.add(m.values()[k]);
            }
            memoryWritten[i] = m.seconds().length;
            if (newGaps) {
                ArrayNode g = e.putArray("gaps");
                for (MemorySampler.Gap gap : m.gaps()) {
                    g.addObject().put("second", gap.second()).put("until", gap.until()).put("count", gap.count())
                            .put("reason", redactor.redact(gap.reason()));
                }
                gapsWritten[i] = gaps;
            }
        }
    }

    private ObjectNode histograms(Histogram[] hs) {
        ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < hs.length; i++) {
            if (hs[i].getTotalCount() > 0) {
                n.put(Integer.toString(i), encode(hs[i]));
            }
        }
        return n;
    }

    private static ArrayNode longs(long[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    /**
     * Compressed at level 1: once a second per cell, speed matters more than a few bytes. The
     * buffer (as large as the histogram's whole counts array) is kept from one call to the next.
     */
    private String encode(Histogram h) {
        int need = h.getNeededByteBufferCapacity();
        if (buffer.capacity() < need) {
            buffer = ByteBuffer.allocate(Math.max(need, buffer.capacity() * 2));
        }
        buffer.clear();
        int len = h.encodeIntoCompressedByteBuffer(buffer, 1);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), len));
    }

    private synchronized void line(ObjectNode n) {
        if (failed) {
            return;
        }
        try {
            out.write(JSON.writeValueAsString(n));
            out.write('\n');
            out.flush();
            // each line is a batch (a second, or ten): on the disk before the next, so that a power cut loses at
            // most the line being written, which replay leaves out
            channel.force(false);
        } catch (IOException e) {
            failed = true;
            listener.warning("the journal stopped (a killed run could be rebuilt only up to here): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    @Override
    public synchronized void close() {
        writePending(); // the seconds since the last line, for a run that could not write its result
        try {
            out.close();
        } catch (IOException e) {
            // the journal is only for a run that is killed; this one ended
        }
    }
}
