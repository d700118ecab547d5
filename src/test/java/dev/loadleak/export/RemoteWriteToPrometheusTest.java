package dev.loadleak.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.ScenarioLoader;
import dev.loadleak.serve.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write into a real Prometheus (Debian's 2.42, {@code --web.enable-remote-write-receiver},
 * started here on 127.0.0.1), read back through its query API: a 6 s run at 50/s against a server
 * of this test, pushed every second, lands with the run's request count, its latency histogram
 * (whose +Inf bucket is the successes, and whose histogram_quantile(0.5) falls in the run's p50's
 * bucket), the target's memory, the leak verdict and the criteria. With no receiver, the run is not
 * slowed and what could not be sent is counted. Skipped only where prometheus is not installed.
 */
class RemoteWriteToPrometheusTest {
    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private JsonNode query(int port, String promql) throws Exception {
        String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("data").path("result");
    }

    private RunResult run(Vertx vertx, int targetPort, LiveExporter exporter) throws Exception {
        String yaml = "name: rw\ntarget: http://127.0.0.1:" + targetPort + "\n"
                + "phases: [{duration: 6s, rate: 50/s}]\nrequests: [{name: get, path: /}]\n"
                + "memory:\n  interval: 250ms\n  sources:\n"
                + "    - {name: heap, type: prometheus, url: /metrics, metric: heap_bytes}\n"
                + "criteria:\n  required: [error_rate < 1%]\n";
        Path out = tmp.resolve("run-" + System.nanoTime());
        return new RunSession(ScenarioLoader.parse("rw.yaml", yaml, new ScenarioLoader.Options(
                Map.<String, String>of()::get, List.of(), false), out),
                new RunSession.Settings(out, "test", 1, Shard.WHOLE, null), vertx, exporter).execute().result();
    }

    @Test
    void aRunLandsInARealPrometheus() throws Exception {
        Path prometheus = Path.of("/usr/bin/prometheus");
        Assumptions.assumeTrue(Files.isExecutable(prometheus), "prometheus is not installed (apt-get install prometheus)");
        int port = freePort();
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, "global: {scrape_interval: 1h}\n");
        Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
        Vertx vertx = Vertx.vertx();
        try {
            boolean ready = Await.until(Duration.ofSeconds(20), () -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    return false; // prometheus is starting
                }
            }, r -> r);
            assertTrue(ready, "prometheus did not start: " + Files.readString(tmp.resolve("prometheus.log")));
            HttpServer target = vertx.createHttpServer().requestHandler(r -> r.response().end(r.path().equals("/metrics")
                    ? "heap_bytes 123456789\n" : "ok")).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            LiveExporter x = new LiveExporter(URI.create("http://127.0.0.1:" + port + "/api/v1/write"),
                    Duration.ofSeconds(1), Map.of("job", "loadleak", "run", "rw-test", "scenario", "rw", "commit", "abc"),
                    120, Redactor.NONE);
            RunResult r = run(vertx, target.actualPort(), x);
            System.out.println(x.summary());
            assertEquals(0, x.droppedSamples(), x.summary());
            assertTrue(x.sentSamples() > 50, x.summary());

            long requests = r.load().requests().get("get").requests();
            JsonNode total = query(port, "loadleak_requests_total{run=\"rw-test\",request=\"get\",commit=\"abc\"}");
            assertEquals(1, total.size(), total.toString());
            assertEquals(requests, total.get(0).path("value").get(1).asLong(), "the final count: " + total);
            JsonNode inf = query(port, "loadleak_latency_seconds_bucket{run=\"rw-test\",le=\"+Inf\"}");
            assertEquals(requests - r.load().requests().get("get").errors(), inf.get(0).path("value").get(1).asLong(), inf.toString());
            double median = query(port, "histogram_quantile(0.5, loadleak_latency_seconds_bucket{run=\"rw-test\"})")
                    .get(0).path("value").get(1).asDouble();
            double p50 = r.load().overall().latencyMicros().corrected().p50() / 1e6;
            // a classic histogram answers within a bucket: the run's p50 lies in the same one
            assertTrue(median > 0 && bucketOf(median) == bucketOf(p50), String.format(Locale.ROOT,
                    "histogram_quantile(0.5) %.6f s, run p50 %.6f s", median, p50));
            assertEquals(123456789, query(port, "loadleak_target_memory_bytes{run=\"rw-test\",source=\"heap\"}").get(0)
                    .path("value").get(1).asLong());
            JsonNode verdict = query(port, "loadleak_leak_verdict{run=\"rw-test\"} == 1");
            assertEquals(r.targetMemory().memory().get(0).analysis().verdict().name(), verdict.get(0).path("metric").path("verdict").asText());
            assertEquals(1, query(port, "loadleak_criterion_pass{criterion=\"error_rate < 1%\"}").get(0)
                    .path("value").get(1).asInt());
            // pushed while it ran, not only at the end: several samples of the count within the run's 6 s
            JsonNode range = query(port, "count_over_time(loadleak_requests_total{run=\"rw-test\"}[1m])");
            assertTrue(range.get(0).path("value").get(1).asInt() >= 4, "samples over the run: " + range);
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            vertx.close();
        }
    }

    private static int bucketOf(double seconds) {
        for (int i = 0; i < LiveExporter.BUCKETS.length; i++) {
            if (seconds <= LiveExporter.BUCKETS[i] * 1.0001) {
                return i;
            }
        }
        return LiveExporter.BUCKETS.length;
    }

    @Test
    void withoutAReceiverTheRunIsNotSlowedAndTheLossIsCounted() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer target = vertx.createHttpServer().requestHandler(r -> r.response().end(r.path().equals("/metrics")
                    ? "heap_bytes 1000\n" : "ok")).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            LiveExporter x = new LiveExporter(URI.create("http://127.0.0.1:" + freePort() + "/api/v1/write"),
                    Duration.ofSeconds(1), Map.of("job", "loadleak", "run", "down"), 3, Redactor.NONE);
            long t0 = System.nanoTime();
            RunResult r = run(vertx, target.actualPort(), x);
            double wall = (System.nanoTime() - t0) / 1e9;
            System.out.println(x.summary() + "; wall " + wall + " s");
            assertEquals(0, x.sentSamples());
            assertTrue(x.droppedSamples() > 0, x.summary());
            assertTrue(x.summary().contains("last error: ConnectException"), x.summary());
            assertTrue(r.load().durationSeconds() < 6.5, "the load kept its pace: " + r.load().durationSeconds());
            assertTrue(wall < 25, "the end waits at most 10 s for a receiver that is down: " + wall);
        } finally {
            vertx.close();
        }
    }
}
