package dev.loadleak.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.ScenarioLoader;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --output otlp=URL}: a 4 s run at 50/s against a server of this test on 127.0.0.1, pushed
 * every second to its {@code /v1/metrics}; what arrives is decoded with the official
 * opentelemetry-proto classes: the resource says the service and the run, the request count is a
 * cumulative monotonic Sum equal to the run's, the corrected latency a cumulative Histogram whose
 * buckets add up to its count (the successes), the target's memory and the leak verdict Gauges.
 */
class OtlpExportTest {
    @TempDir
    Path tmp;

    @Test
    void aRunArrivesAsOtlpMetricsTheOfficialClassesRead() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        List<String> types = new CopyOnWriteArrayList<>();
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(r -> {
                if (r.path().equals("/v1/metrics")) {
                    types.add(r.getHeader("Content-Type"));
                    r.body().onSuccess(b -> {
                        bodies.add(b.getBytes());
                        r.response().putHeader("Content-Type", "application/x-protobuf").end();
                    });
                } else {
                    r.response().end(r.path().equals("/metrics") ? "heap_bytes 123456789\n" : "ok");
                }
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            int port = server.actualPort();
            LiveExporter x = new LiveExporter(LiveExporter.Format.OTLP, URI.create("http://127.0.0.1:" + port + "/v1/metrics"),
                    Duration.ofSeconds(1), Map.of("job", "loadleak", "run", "otlp-test", "scenario", "otlp", "commit", "abc"),
                    120, Redactor.NONE, "0.1.0-test");
            String yaml = "name: otlp\ntarget: http://127.0.0.1:" + port + "\n"
                    + "phases: [{duration: 4s, rate: 50/s}]\nrequests: [{name: get, path: /}]\n"
                    + "memory:\n  interval: 250ms\n  sources:\n"
                    + "    - {name: heap, type: prometheus, url: /metrics, metric: heap_bytes}\n"
                    + "criteria:\n  required: [error_rate < 1%]\n";
            Path out = tmp.resolve("run");
            RunResult r = new RunSession(ScenarioLoader.parse("otlp.yaml", yaml, new ScenarioLoader.Options(
                    Map.<String, String>of()::get, List.of(), false), out),
                    new RunSession.Settings(out, "test", 1, Shard.WHOLE, null), vertx, x).execute().result();
            System.out.println(x.summary());
            assertEquals(0, x.droppedSamples(), x.summary());
            assertTrue(bodies.size() >= 3, "pushed while it ran and at the end: " + bodies.size());
            assertTrue(types.stream().allMatch("application/x-protobuf"::equals), types.toString());

            ExportMetricsServiceRequest last = ExportMetricsServiceRequest.parseFrom(bodies.get(bodies.size() - 1));
            ResourceMetrics rm = last.getResourceMetrics(0);
            Map<String, String> resource = attrs(rm.getResource().getAttributesList());
            assertEquals("loadleak", resource.get("service.name"), resource.toString());
            assertEquals("otlp-test", resource.get("run"));
            assertEquals("abc", resource.get("commit"));
            assertEquals("loadleak", rm.getScopeMetrics(0).getScope().getName());
            Map<String, Metric> metrics = rm.getScopeMetrics(0).getMetricsList().stream()
                    .collect(Collectors.toMap(Metric::getName, m -> m, (a, b) -> a));

            Metric requests = metrics.get("loadleak_requests");
            assertTrue(requests.hasSum() && requests.getSum().getIsMonotonic(), requests.toString());
            assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                    requests.getSum().getAggregationTemporality());
            NumberDataPoint count = requests.getSum().getDataPoints(0);
            assertEquals("get", attrs(count.getAttributesList()).get("request"));
            assertEquals(r.load().requests().get("get").requests(), (long) count.getAsDouble());
            assertTrue(count.getStartTimeUnixNano() > 0 && count.getTimeUnixNano() > count.getStartTimeUnixNano());

            Metric latency = metrics.get("loadleak_latency_seconds");
            assertTrue(latency.hasHistogram(), latency.toString());
            assertEquals("s", latency.getUnit());
            HistogramDataPoint h = latency.getHistogram().getDataPoints(0);
            assertEquals(LiveExporter.BUCKETS.length, h.getExplicitBoundsCount());
            assertEquals(LiveExporter.BUCKETS.length + 1, h.getBucketCountsCount());
            long successes = r.load().requests().get("get").successes();
            assertEquals(successes, h.getCount());
            assertEquals(successes, h.getBucketCountsList().stream().mapToLong(Long::longValue).sum());
            assertTrue(h.getSum() > 0 && h.getSum() / h.getCount() < 1, "mean latency in seconds: " + h.getSum());

            Metric memory = metrics.get("loadleak_target_memory_bytes");
            assertTrue(memory.hasGauge(), memory.toString());
            assertEquals("By", memory.getUnit());
            assertEquals(123456789, memory.getGauge().getDataPoints(0).getAsDouble());
            assertEquals("heap", attrs(memory.getGauge().getDataPoints(0).getAttributesList()).get("source"));
            Metric verdict = metrics.get("loadleak_leak_verdict");
            assertEquals(1.0, verdict.getGauge().getDataPointsList().stream().mapToDouble(NumberDataPoint::getAsDouble).sum());
            Metric criterion = metrics.get("loadleak_criterion_pass");
            assertEquals(1.0, criterion.getGauge().getDataPoints(0).getAsDouble());
            assertTrue(x.summary().startsWith("otlp http://127.0.0.1:" + port + "/v1/metrics: "), x.summary());
        } finally {
            vertx.close();
        }
    }

    private static Map<String, String> attrs(List<KeyValue> kvs) {
        return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
    }
}
