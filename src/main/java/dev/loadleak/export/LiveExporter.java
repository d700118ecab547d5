package dev.loadleak.export;

import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.run.LiveSnapshot;
import dev.loadleak.run.RunListener;
import dev.loadleak.scenario.Redactor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code --output prometheus-rw=URL} and {@code --output otlp=URL}: the run's figures pushed live to
 * a Prometheus remote-write receiver (Prometheus with {@code --web.enable-remote-write-receiver},
 * Mimir, Thanos, VictoriaMetrics, Grafana Cloud) or an OTLP/HTTP metrics receiver (an OpenTelemetry
 * Collector, Prometheus 3's {@code /api/v1/otlp/v1/metrics}, Grafana Cloud's OTLP gateway; see
 * {@link OtlpEncoding} for how the series map), every {@code interval} and once more at the end, on a thread of its own: the load
 * never waits for it. What the receiver cannot take yet (down, 5xx, 429) waits in a bounded queue
 * and is sent in order when it is back; beyond the queue's bound the oldest batch is dropped, and
 * what was dropped is counted and said at the end.
 *
 * <p>Series (every one labelled {@code job}, {@code run}, {@code scenario} and the {@code --label}s):
 * {@code loadleak_requests_total} and {@code loadleak_request_errors_total} by {@code request};
 * {@code loadleak_errors_total} by {@code kind}; {@code loadleak_latency_seconds} — a classic
 * histogram ({@code _bucket{le}}, {@code _sum}, {@code _count}) of the corrected latency of
 * successes, by {@code request} — so that {@code histogram_quantile} works in Grafana;
 * {@code loadleak_throughput_per_second}, {@code loadleak_open_connections} and
 * {@code loadleak_in_flight} (and {@code loadleak_realtime_connections_open}) of the last second; {@code loadleak_target_memory_bytes},
 * {@code loadleak_leak_slope_mb_per_hour} (and {@code _low}, {@code _high}: its 95 % interval) and
 * {@code loadleak_leak_verdict{verdict}} (1 for the verdict now, 0 for the others) by {@code source};
 * {@code loadleak_criterion_pass{criterion, level}} (1 pass, 0 fail, 0.5 inconclusive).
 */
public final class LiveExporter implements RunListener {
    /** What the receiver speaks: its {@code --output} kind, and the body and headers of a push. */
    public enum Format {
        PROMETHEUS_RW("prometheus-rw"), OTLP("otlp");

        private final String kind;

        Format(String kind) {
            this.kind = kind;
        }

        public String kind() {
            return kind;
        }

        /** The format of an {@code --output} kind, or null. */
        public static Format of(String kind) {
            for (Format f : values()) {
                if (f.kind.equals(kind)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** Latency bucket bounds, seconds (Prometheus client defaults, extended to a minute). */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Format format;
    private final String version;
    private final URI url;
    private final Duration interval;
    private final long startMs = System.currentTimeMillis();
    private final Map<String, String> labels;
    private final int maxPending;
    private final Redactor redactor;
    private final HttpClient http;
    private final ScheduledExecutorService thread;
    private final ArrayDeque<Batch> pending = new ArrayDeque<>();
    /** The run as its latest live snapshot has it (scored by the run itself), or null before the first. */
    private volatile LiveSnapshot latest;
    private volatile TimelinePoint last;
    private boolean started;
    private final AtomicLong sentSamples = new AtomicLong();
    private final AtomicLong sentRequests = new AtomicLong();
    private final AtomicLong droppedSamples = new AtomicLong();
    private volatile String lastError;

    private record Batch(byte[] body, int samples) {
    }

    /**
     * @param labels     job, run, scenario and the user's labels, on every series
     * @param maxPending batches kept while the receiver cannot take them (at 5 s each, 120 is 10 minutes)
     */
    public LiveExporter(URI url, Duration interval, Map<String, String> labels, int maxPending, Redactor redactor) {
        this(Format.PROMETHEUS_RW, url, interval, labels, maxPending, redactor, "");
    }

    /** @param version loadleak's version, the OTLP instrumentation scope's */
    public LiveExporter(Format format, URI url, Duration interval, Map<String, String> labels, int maxPending,
                        Redactor redactor, String version) {
        this.format = format;
        this.version = version;
        this.url = url;
        this.interval = interval;
        this.labels = Map.copyOf(labels);
        this.maxPending = maxPending;
        this.redactor = redactor;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loadleak-export-" + format.kind());
            t.setDaemon(true);
            return t;
        });
    }

    /** The exported series carry the criteria and the leak estimate as they stand. */
    @Override
    public boolean readsScoring() {
        return true;
    }

    /** Keeps the run's latest snapshot; the first starts the pushes, every {@code interval}. */
    @Override
    public void live(LiveSnapshot now) {
        latest = now;
        last = now.point();
        if (!started) {
            started = true;
            long ms = interval.toMillis();
            thread.scheduleAtFixedRate(this::tick, 0, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** The final figures, sent at once; then the thread ends (waiting at most 10 s for the receiver). */
    @Override
    public void finished(RunResult result) {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        enqueue(result);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pending.isEmpty() && System.nanoTime() < deadline && send()) {
            // sent in order until the queue is empty or the receiver fails
        }
        synchronized (pending) {
            for (Batch b : pending) {
                droppedSamples.addAndGet(b.samples());
            }
            pending.clear();
        }
    }

    /** What was sent and dropped, for the console: "prometheus-rw http://…: 1,234 samples in 7 requests, 0 dropped". */
    public String summary() {
        return String.format(Locale.ROOT, "%s %s: %d samples in %d requests, %d dropped%s", format.kind(),
                redactor.redact(url.toString()), sentSamples.get(), sentRequests.get(), droppedSamples.get(),
                lastError == null ? "" : " (last error: " + redactor.redact(lastError) + ")");
    }

    public long droppedSamples() {
        return droppedSamples.get();
    }

    public long sentSamples() {
        return sentSamples.get();
    }

    private void tick() {
        try {
            LiveSnapshot s = latest;
            RunResult r = s == null ? null : s.scored();
            if (r != null) {
                enqueue(r);
            }
            while (send()) {
                // oldest first, until the queue is empty or the receiver fails
            }
        } catch (RuntimeException e) {
            lastError = e.toString(); // an export never breaks the run
        }
    }

    private void enqueue(RunResult r) {
        List<RemoteWriteEncoding.Series> series = series(r, System.currentTimeMillis());
        int samples = series.stream().mapToInt(x -> x.samples().size()).sum();
        byte[] body = format == Format.OTLP
                ? OtlpEncoding.exportRequest(series, labels, startMs, version)
                : RemoteWriteEncoding.snappy(RemoteWriteEncoding.writeRequest(series));
        Batch b = new Batch(body, samples);
        synchronized (pending) {
            pending.addLast(b);
            while (pending.size() > maxPending) {
                droppedSamples.addAndGet(pending.removeFirst().samples());
            }
        }
    }

    /** Sends the oldest pending batch; false when there is none or the receiver did not take it (kept for later). */
    private boolean send() {
        Batch b;
        synchronized (pending) {
            b = pending.peekFirst();
        }
        if (b == null) {
            return false;
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-protobuf").header("User-Agent", "loadleak");
        if (format == Format.PROMETHEUS_RW) {
            rb.header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0");
        }
        HttpRequest req = rb.POST(HttpRequest.BodyPublishers.ofByteArray(b.body())).build();
        int status;
        String body;
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            status = res.statusCode();
            body = res.body();
        } catch (java.io.IOException e) {
            lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        boolean retry = status == 429 || status >= 500;
        if (status / 100 != 2) {
            lastError = "HTTP " + status + (body == null || body.isBlank() ? "" : ": "
                    + body.strip().substring(0, Math.min(200, body.strip().length())));
        }
        if (retry) {
            return false;
        }
        synchronized (pending) {
            pending.remove(b);
        }
        if (status / 100 == 2) {
            sentRequests.incrementAndGet();
            sentSamples.addAndGet(b.samples());
        } else {
            droppedSamples.addAndGet(b.samples()); // 4xx: the receiver will never take it
        }
        return true;
    }

    /** Every series of {@code r} at {@code ms}. */
    List<RemoteWriteEncoding.Series> series(RunResult r, long ms) {
        List<RemoteWriteEncoding.Series> out = new ArrayList<>();
        if (r.load().requests() != null) {
            for (Map.Entry<String, Stats> e : r.load().requests().entrySet()) {
                String request = redactor.redact(e.getKey());
                Stats s = e.getValue();
                add(out, "loadleak_requests_total", ms, s.requests(), "request", request);
                add(out, "loadleak_request_errors_total", ms, s.errors(), "request", request);
                histogram(out, ms, s, request);
            }
        }
        if (r.load().overall() != null && r.load().overall().errorsByKind() != null) {
            r.load().overall().errorsByKind().forEach((kind, n) -> add(out, "loadleak_errors_total", ms, n, "kind", kind));
        }
        TimelinePoint p = last;
        if (p != null) {
            add(out, "loadleak_throughput_per_second", ms, p.requests());
            if (p.connections() >= 0) {
                add(out, "loadleak_open_connections", ms, p.connections());
            }
            if (p.inFlight() >= 0) {
                add(out, "loadleak_in_flight", ms, p.inFlight());
            }
            if (p.realtimeOpen() != null) {
                add(out, "loadleak_realtime_connections_open", ms, p.realtimeOpen());
            }
        }
        if (r.targetMemory().memory() != null) {
            for (MemorySeries m : r.targetMemory().memory()) {
                String source = redactor.redact(m.source());
                if (m.samples() != null && !m.samples().isEmpty()) {
                    add(out, "loadleak_target_memory_bytes", ms, m.samples().get(m.samples().size() - 1)[1], "source", source);
                }
                LeakAnalysis a = m.analysis();
                if (a != null) {
                    if (Double.isFinite(a.slopeMBPerHour())) {
                        add(out, "loadleak_leak_slope_mb_per_hour", ms, a.slopeMBPerHour(), "source", source);
                    }
                    if (a.ci95MBPerHour() != null) {
                        add(out, "loadleak_leak_slope_mb_per_hour_low", ms, a.ci95MBPerHour()[0], "source", source);
                        add(out, "loadleak_leak_slope_mb_per_hour_high", ms, a.ci95MBPerHour()[1], "source", source);
                    }
                    for (LeakFinding v : LeakFinding.values()) {
                        add(out, "loadleak_leak_verdict", ms, v == a.verdict() ? 1 : 0, "source", source, "verdict",
                                v.name());
                    }
                }
            }
        }
        if (r.scoring().criteria() != null) {
            for (CriterionResult c : r.scoring().criteria()) {
                double v = c.inconclusive() ? 0.5 : c.pass() ? 1 : 0;
                add(out, "loadleak_criterion_pass", ms, v, "criterion", redactor.redact(c.expression()), "level", c.level().word());
            }
        }
        return out;
    }

    private void histogram(List<RemoteWriteEncoding.Series> out, long ms, Stats s, String request) {
        if (s.histograms() == null || s.histograms().corrected() == null) {
            return;
        }
        Histogram h = Stats.decode(s.histograms().corrected());
        for (double le : BUCKETS) {
            long micros = Math.round(le * 1e6);
            add(out, "loadleak_latency_seconds_bucket", ms, h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, micros),
                    "request", request, "le", le(le));
        }
        add(out, "loadleak_latency_seconds_bucket", ms, h.getTotalCount(), "request", request, "le", "+Inf");
        add(out, "loadleak_latency_seconds_count", ms, h.getTotalCount(), "request", request);
        add(out, "loadleak_latency_seconds_sum", ms, h.getTotalCount() == 0 ? 0 : h.getMean() * h.getTotalCount() / 1e6,
                "request", request);
    }

    private static String le(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf(v);
    }

    private void add(List<RemoteWriteEncoding.Series> out, String name, long ms, double value, String... kv) {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.put("__name__", name);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            l.put(kv[i], kv[i + 1]);
        }
        out.add(new RemoteWriteEncoding.Series(l, List.of(new double[] {value, ms})));
    }
}
