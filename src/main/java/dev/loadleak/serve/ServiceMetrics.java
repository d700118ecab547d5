package dev.loadleak.serve;

import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.run.LiveSnapshot;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The Prometheus exposition of {@code loadleak serve}'s tests (at {@code /metrics} while serving),
 * built with the Prometheus Java client's model and text writer, so that Grafana charts the test
 * beside its target: requests by run, request and outcome; latency quantiles of the last second
 * (the live HdrHistogram interval, corrected); the target's memory by source; the current leak
 * slope; run info and status. Runs that ended are listed by status only (their figures are in
 * their result.json).
 */
final class ServiceMetrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private ServiceMetrics() {
    }

    static String render(RunService service) throws IOException {
        CounterSnapshot.Builder requests = CounterSnapshot.builder().name("loadleak_requests")
                .help("Requests completed by the running tests, by run, request and outcome (success or an error kind).");
        SummarySnapshot.Builder latency = SummarySnapshot.builder().name("loadleak_latency_seconds")
                .help("Corrected latency quantiles of the last second's successful requests (the live HdrHistogram "
                        + "interval), by run; the count is every success so far.");
        GaugeSnapshot.Builder memory = GaugeSnapshot.builder().name("loadleak_target_memory_bytes")
                .help("The target's latest memory sample, by run and memory source.");
        GaugeSnapshot.Builder slope = GaugeSnapshot.builder().name("loadleak_leak_slope_bytes_per_second")
                .help("The leak detector's current slope of the target's memory floor, by run and source.");
        GaugeSnapshot.Builder info = GaugeSnapshot.builder().name("loadleak_run_info")
                .help("1 for each run the service knows, with its name and status.");
        GaugeSnapshot.Builder running = GaugeSnapshot.builder().name("loadleak_run_running")
                .help("1 while the run sends load.");
        GaugeSnapshot.Builder progress = GaugeSnapshot.builder().name("loadleak_run_elapsed_seconds")
                .help("Seconds of load sent so far, by running run.");
        for (ManagedRun r : service.list()) {
            info.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("run", r.id, "name", r.name, "status", r.status().json())).value(1).build());
            running.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("run", r.id))
                    .value(r.running() ? 1 : 0).build());
            LiveSnapshot now = r.live();
            if (!r.running() || now == null) {
                continue; // a run renders what it published: nothing before its first second
            }
            progress.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("run", r.id))
                    .value(now.elapsedSeconds()).build());
            requests(r.id, now, requests);
            TimelinePoint p = now.point();
            if (p.requests() > p.errors()) {
                latency.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(Labels.of("run", r.id))
                        .quantiles(Quantiles.of(new Quantile(0.5, p.p50() / 1e6), new Quantile(0.95, p.p95() / 1e6),
                                new Quantile(0.99, p.p99() / 1e6), new Quantile(1, p.max() / 1e6)))
                        .count(now.successes()).build());
            }
            for (LiveSnapshot.MemoryNow m : now.memory()) {
                if (m.samples() > 0) {
                    memory.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("run", r.id, "source", m.source())).value(m.bytes()).build());
                }
            }
            for (MemorySeries m : now.leak()) {
                if (m.analysis() != null && m.analysis().growthCi95MBPerHour() != null) { // an estimate, not a placeholder 0
                    slope.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .labels(Labels.of("run", r.id, "source", m.source(), "verdict", m.analysis().verdict().name()))
                            .value(m.analysis().slopeBytesPerSecond()).build());
                }
            }
        }
        MetricSnapshots all = MetricSnapshots.of(requests.build(), latency.build(), memory.build(), slope.build(),
                info.build(), running.build(), progress.build());
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        PrometheusTextFormatWriter.create().write(out, all);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A running run's requests so far into {@code requests}, by request and outcome. */
    private static void requests(String run, LiveSnapshot now, CounterSnapshot.Builder requests) {
        for (LiveSnapshot.RequestNow q : now.requests()) {
            requests.dataPoint(counter(run, q.name(), "success", q.successes()));
            for (Map.Entry<String, Long> e : q.errorsByKind().entrySet()) {
                requests.dataPoint(counter(run, q.name(), e.getKey(), e.getValue()));
            }
        }
    }

    private static CounterSnapshot.CounterDataPointSnapshot counter(String run, String request, String outcome, long n) {
        return CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of("run", run, "request", request, "outcome", outcome)).value(n).build();
    }

}
