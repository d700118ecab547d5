package dev.loadleak.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.scenario.Confinement;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service's API over real HTTP on 127.0.0.1: validate, start (201, 400, 409, 413), list, the
 * live snapshot, Server-Sent Events (live and replayed to a late client), stop, artifacts, the
 * bearer token, readiness at capacity, and the run list after a restart (aborted runs included).
 * Runs load a small Vert.x server of this test on 127.0.0.1.
 */
@QuarkusTest
class ServeApiTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    RunService service;
    @Inject
    Vertx vertx;

    private HttpServer target;
    private Path data;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        target = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .requestHandler(r -> {
                    if (r.path().startsWith("/echo")) { // a target that echoes what it was sent into a failure
                        r.response().setStatusCode(200).end("{\"auth\":\"" + r.getHeader("Authorization") + "\",\"uri\":\""
                                + r.uri() + "\"}");
                    } else {
                        r.response().end("{\"ok\":true}");
                    }
                })
                .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        data = Files.createTempDirectory("serve");
        configure(null, 1);
    }

    private void configure(String token, int maxRuns) throws Exception {
        service.stopServing();
        service.configure(new RunService.Config(data, maxRuns, token, 64 * 1024, "test", 1));
    }

    private void configure(Confinement c, java.util.Map<String, String> env) throws Exception {
        service.stopServing();
        service.configure(new RunService.Config(data, 1, null, 64 * 1024, "test", 1, c, env::get));
    }

    @AfterEach
    void stop() throws Exception {
        service.stopServing();
        target.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private String scenario(String duration) {
        return "name: served\ntarget: http://127.0.0.1:" + target.actualPort() + "\n"
                + "phases: [{duration: " + duration + ", rate: 50/s}]\nrequests: [{path: /x}]\n"
                + "criteria: {required: [error_rate < 1%]}\n";
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/yaml");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String id(HttpResponse<String> created) throws Exception {
        return ManagedRun.JSON.readTree(created.body()).path("id").asText();
    }

    /** The events of the stream, as "name data" lines, until it closes (at most 30 s). */
    private List<String> events(String id) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/api/v1/runs/" + id + "/events"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        List<String> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    out.add(name + " " + line.substring(5).trim());
                }
            }
        }
        return out;
    }

    @Test
    void validateStartFollowAndFetch() throws Exception {
        HttpResponse<String> bad = send("POST", "/api/v1/validate", "target: http://127.0.0.1:1\nphases: []\nrequets: []\n", null);
        assertEquals(400, bad.statusCode(), bad.body());
        var problems = ManagedRun.JSON.readTree(bad.body()).path("problems");
        assertTrue(problems.size() >= 2, bad.body());
        assertTrue(problems.get(0).path("line").asInt() > 0 && problems.get(0).has("hint"), bad.body());
        assertEquals(200, send("POST", "/api/v1/validate", scenario("1s"), null).statusCode());
        assertEquals(413, send("POST", "/api/v1/runs", "#".repeat(70 * 1024), null).statusCode());

        HttpResponse<String> created = send("POST", "/api/v1/runs", scenario("2s"), null);
        assertEquals(201, created.statusCode(), created.body());
        String id = id(created);
        assertTrue(created.headers().firstValue("Location").orElse("").endsWith("/api/v1/runs/" + id));
        HttpResponse<String> busy = send("POST", "/api/v1/runs", scenario("2s"), null);
        assertEquals(409, busy.statusCode(), busy.body());
        assertEquals(503, send("GET", "/q/health/ready", null, null).statusCode(), "not ready at capacity");
        HttpResponse<String> live = Await.until(Duration.ofSeconds(5), () -> send("GET", "/api/v1/runs/" + id, null, null),
                r -> r.body().contains("soFar"));
        assertEquals(200, live.statusCode());
        var snap = ManagedRun.JSON.readTree(live.body());
        assertEquals("running", snap.path("status").asText(), live.body());
        assertEquals("phase-1", snap.path("phase").asText(), live.body());
        assertTrue(snap.path("soFar").path("requests").asLong() > 0 && snap.path("soFar").path("latencyMicros").has("p95"),
                "the figures so far: " + live.body());
        assertEquals("error_rate < 1%", snap.path("criteria").get(0).path("expression").asText(), live.body());

        List<String> events = events(id);
        assertTrue(events.stream().filter(e -> e.startsWith("second ")).count() >= 1, events.toString());
        assertTrue(events.stream().anyMatch(e -> e.startsWith("second ") && e.contains("\"criteria\":{\"verdict\":\"GO\"")
                && e.contains("\"expression\":\"error_rate < 1%\",\"actual\":\"0.00 %\",\"pass\":true")),
                "each criterion as it stands: " + events);
        String end = events.get(events.size() - 1);
        assertTrue(end.startsWith("end ") && end.contains("\"status\":\"completed\"") && end.contains("\"verdict\":\"GO\""),
                end);
        // a finished run keeps only its summary in memory: a late client gets each second again, read from
        // result.json (the points, marked replayed), then the same end
        List<String> late = events(id);
        assertTrue(late.size() >= events.size(), "every second of the result's timeline: " + late);
        assertEquals(end, late.get(late.size() - 1));
        for (int i = 0; i < events.size() - 1; i++) {
            var first = ManagedRun.JSON.readTree(events.get(i).substring("second ".length()));
            var again = ManagedRun.JSON.readTree(late.get(i).substring("second ".length()));
            assertEquals(first.path("point"), again.path("point"), late.get(i));
            assertTrue(again.path("replayed").asBoolean(), late.get(i));
        }

        var result = ManagedRun.JSON.readTree(send("GET", "/api/v1/runs/" + id, null, null).body());
        assertEquals(1, result.path("schemaVersion").asInt(), "when done: its result.json");
        assertEquals(100, result.path("overall").path("requests").asLong(), 5);
        HttpResponse<String> report = send("GET", "/api/v1/runs/" + id + "/report.html", null, null);
        assertEquals(200, report.statusCode());
        assertTrue(report.body().startsWith("<!DOCTYPE html>"));
        assertEquals(200, send("GET", "/api/v1/runs/" + id + "/junit.xml", null, null).statusCode());
        assertEquals(404, send("GET", "/api/v1/runs/" + id + "/scenario.yaml", null, null).statusCode(),
                "only the listed artifacts are served");
        assertEquals(404, send("GET", "/api/v1/runs/nope", null, null).statusCode());
        var list = ManagedRun.JSON.readTree(send("GET", "/api/v1/runs", null, null).body());
        assertEquals(id, list.path("runs").get(0).path("id").asText());
        assertEquals("GO", list.path("runs").get(0).path("verdict").asText());
        assertEquals(200, send("GET", "/q/health/ready", null, null).statusCode());
        assertEquals(404, send("GET", "/api/v1/media/1", null, null).statusCode(), "no target routes while serving");
    }

    @Test
    void metricsOfTheRunningTestsInThePrometheusFormat() throws Exception {
        String id = id(send("POST", "/api/v1/runs", scenario("4s").replace("path: /x", "name: r, path: /x"), null));
        HttpResponse<String> m = Await.until(Duration.ofSeconds(10), () -> send("GET", "/metrics", null, null),
                r -> r.statusCode() != 200 || r.body().contains("loadleak_latency_seconds{"));
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), m.headers().toString());
        String text = m.body();
        var samples = dev.loadleak.metrics.PrometheusText.parse(text);
        Double ok = dev.loadleak.metrics.PrometheusText.select(samples, "loadleak_requests_total",
                java.util.Map.of("run", id, "request", "r", "outcome", "success"));
        assertTrue(ok != null && ok > 0, text);
        assertEquals(1.0, dev.loadleak.metrics.PrometheusText.select(samples, "loadleak_run_running",
                java.util.Map.of("run", id)), text);
        assertTrue(dev.loadleak.metrics.PrometheusText.select(samples, "loadleak_latency_seconds",
                java.util.Map.of("run", id, "quantile", "0.99")) > 0, text);
        assertTrue(text.contains("loadleak_run_info{name=\"served\",run=\"" + id + "\",status=\"running\"} 1"), text);
        promtool(text);
        events(id);
        String after = send("GET", "/metrics", null, null).body();
        assertTrue(after.contains("loadleak_run_running{run=\"" + id + "\"} 0"), after);
    }

    /** {@code promtool check metrics} on {@code text}, when Debian's prometheus package is installed. */
    private static void promtool(String text) throws Exception {
        java.nio.file.Path tool = java.nio.file.Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(tool)) {
            System.out.println("promtool not installed: exposition checked by loadleak's own parser only");
            return;
        }
        Process p = new ProcessBuilder(tool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool check metrics: " + out);
    }

    @Test
    void deleteStopsARunAsSigintDoes() throws Exception {
        String id = id(send("POST", "/api/v1/runs", scenario("30s"), null));
        // stop it once load is going (its first second collected), not at a guessed time
        Await.until(Duration.ofSeconds(10), () -> ManagedRun.JSON.readTree(send("GET", "/api/v1/runs/" + id, null, null)
                .body()).path("elapsedSeconds").asLong(), elapsed -> elapsed >= 1);
        HttpResponse<String> stopped = send("DELETE", "/api/v1/runs/" + id, null, null);
        assertEquals(202, stopped.statusCode(), stopped.body());
        List<String> events = events(id);
        assertTrue(events.get(events.size() - 1).contains("\"status\":\"interrupted\""), events.toString());
        assertEquals("interrupted", ManagedRun.JSON.readTree(send("GET", "/api/v1/runs/" + id, null, null).body())
                .path("status").asText());
        assertEquals(409, send("DELETE", "/api/v1/runs/" + id, null, null).statusCode(), "no longer running");
    }

    @Test
    void everyApiRouteNeedsTheTokenWhenOneIsSet() throws Exception {
        configure("s3cret-token-value", 1);
        assertEquals(401, send("GET", "/api/v1/runs", null, null).statusCode());
        assertEquals(401, send("GET", "/api/v1/runs", null, "wrong").statusCode());
        assertEquals(401, send("POST", "/api/v1/runs", scenario("1s"), "s3cret-token-valuX").statusCode());
        assertEquals(200, send("GET", "/api/v1/runs", null, "s3cret-token-value").statusCode());
        assertEquals(200, send("GET", "/q/health/live", null, null).statusCode(), "probes need no token");
        assertEquals(401, send("GET", "/metrics", null, null).statusCode(), "the tests' metrics do");
        assertEquals(200, send("GET", "/metrics", null, "s3cret-token-value").statusCode());
    }

    @Test
    void theListSurvivesARestartAndARunCutByTheProcessEndingIsAborted() throws Exception {
        // a run whose process died: its journal (copied while it ran) is all its directory has
        String going = id(send("POST", "/api/v1/runs", scenario("30s"), null));
        Await.until(Duration.ofSeconds(10), () -> ManagedRun.JSON.readTree(send("GET", "/api/v1/runs/" + going, null, null)
                .body()).path("elapsedSeconds").asLong(), elapsed -> elapsed >= 3);
        Path killed = Files.createDirectories(data.resolve("20260101T000000-0002"));
        Files.copy(data.resolve(going).resolve("journal.jsonl"), killed.resolve("journal.jsonl"));
        Files.copy(data.resolve(going).resolve("scenario.yaml"), killed.resolve("scenario.yaml"));
        // its run.json is empty, as one written in place was when the process died: the run is still listed
        Files.writeString(killed.resolve("run.json"), "");
        assertEquals(202, send("DELETE", "/api/v1/runs/" + going, null, null).statusCode());
        events(going);
        String id = id(send("POST", "/api/v1/runs", scenario("1s"), null));
        events(id);
        Path dead = data.resolve("20260101T000000-0001");
        Files.createDirectories(dead);
        Files.writeString(dead.resolve("run.json"), "{\"id\":\"20260101T000000-0001\",\"name\":\"old\","
                + "\"status\":\"running\",\"startedAt\":\"2026-01-01T00:00:00Z\"}");
        configure(null, 1); // as a new process would find the data directory
        var list = ManagedRun.JSON.readTree(send("GET", "/api/v1/runs", null, null).body());
        assertEquals(4, list.path("total").asInt(), list.toString());
        assertEquals(id, list.path("runs").get(0).path("id").asText(), "newest first");
        java.util.Map<String, String> status = new java.util.HashMap<>();
        java.util.Map<String, String> names = new java.util.HashMap<>();
        list.path("runs").forEach(r -> {
            status.put(r.path("id").asText(), r.path("status").asText());
            names.put(r.path("id").asText(), r.path("name").asText());
        });
        assertEquals(java.util.Map.of(id, "completed", going, "interrupted", "20260101T000000-0002", "aborted",
                "20260101T000000-0001", "aborted"), status);
        var rebuilt = ManagedRun.JSON.readTree(send("GET", "/api/v1/runs/20260101T000000-0002", null, null).body());
        assertEquals("aborted", rebuilt.path("status").asText(), rebuilt.toString());
        assertEquals("served", names.get("20260101T000000-0002"), "its name from the journal: " + list);
        assertTrue(rebuilt.path("overall").path("requests").asLong() >= 100, "rebuilt from its journal: "
                + rebuilt.path("overall"));
        assertEquals(200, send("GET", "/api/v1/runs/20260101T000000-0002/report.html", null, null).statusCode());
        assertTrue(!Files.exists(data.resolve(id).resolve("journal.jsonl")), "a run that wrote its result drops its journal");
    }

    @Test
    void aPostedScenarioCannotRunProgramsReadFilesOrVariablesUnlessAllowed() throws Exception {
        Path files = Files.createDirectories(data.resolveSibling(data.getFileName() + "-files"));
        Files.writeString(files.resolve("body.json"), "{}");
        Path outside = Files.writeString(data.resolveSibling(data.getFileName() + "-secret.txt"), "private");
        Files.createSymbolicLink(files.resolve("escape.txt"), outside);
        configure(Confinement.server(false, files, java.util.Set.of(), null), java.util.Map.of("HOME", "/root"));
        String head = scenario("1s").replace("requests: [{path: /x}]\n", "");
        java.util.Map<String, String> refused = java.util.Map.of(
                "requests: [{path: /x}]\nmemory: {sources: [{type: process, launch: \"touch /tmp/pwned\"}]}\n",
                "--allow-launch",
                "requests: [{path: /x, method: POST, bodyFile: ../" + outside.getFileName() + "}]\n", "--files-dir",
                "requests: [{path: /x, method: POST, bodyFile: escape.txt}]\n", "link that leads out",
                "requests: [{path: /x, method: POST, bodyFile: " + outside + "}]\n", "--files-dir",
                "requests: [{path: \"/x?h=${env:HOME}\"}]\n", "--allow-env HOME");
        for (var e : refused.entrySet()) {
            HttpResponse<String> r = send("POST", "/api/v1/runs", head + e.getKey(), null);
            assertEquals(400, r.statusCode(), e.getKey() + " -> " + r.body());
            assertTrue(r.body().contains(e.getValue()), r.body());
            assertTrue(!r.body().contains("private") && !r.body().contains("/root"), r.body());
        }
        assertEquals(0, service.list().size(), "nothing started");
        assertEquals(201, send("POST", "/api/v1/runs", head + "requests: [{path: /x, method: POST, bodyFile: body.json}]\n",
                null).statusCode(), "a file inside --files-dir is read");
        // a reserved name (RFC 2606) that never resolves: only validated, nothing is sent
        configure(Confinement.server(false, null, java.util.Set.of(),
                java.util.regex.Pattern.compile("http://staging\\.example\\.invalid(:\\d+)?(/.*)?")),
                java.util.Map.of());
        HttpResponse<String> r = send("POST", "/api/v1/validate", scenario("1s"), null);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("--allow-target"), r.body());
        HttpResponse<String> viaOverride = send("POST", "/api/v1/validate?target=http://staging.example.invalid:1",
                scenario("1s"), null);
        assertEquals(200, viaOverride.statusCode(), "?target= overrides the scenario's target: " + viaOverride.body());
    }

    @Test
    void aSecretNeverAppearsInAnyResponseEventOrFileOfARunThatUsesOne() throws Exception {
        String secret = "sekr1t-7f3a9c1e";
        configure(Confinement.server(false, null, java.util.Set.of("API_SECRET"), null), java.util.Map.of("API_SECRET", secret));
        String plain = "name: secretive\ntarget: http://127.0.0.1:" + target.actualPort() + "\n"
                + "phases: [{duration: 2s, rate: 20/s}]\n"
                + "requests: [{name: echo, path: \"/echo?key=${env:API_SECRET}\", "
                + "headers: {Authorization: \"Bearer ${env:API_SECRET}\"}, expect: {bodyContains: never}}]\n"
                + "criteria: {required: [error_rate < 1%]}\n";
        // a setup step that fails: its error quotes the answer, which echoes the secret
        String setup = "name: secretive-setup\ntarget: http://127.0.0.1:" + target.actualPort() + "\n"
                + "phases: [{duration: 1s, rate: 5/s}]\n"
                + "setup: [{name: login, path: /echo, headers: {Authorization: \"Bearer ${env:API_SECRET}\"}, "
                + "expect: {status: 201}}]\n"
                + "flows: [{name: f, steps: [{path: /x}]}]\n";
        List<String> seen = new ArrayList<>();
        for (String yaml : List.of(plain, setup)) {
            HttpResponse<String> created = send("POST", "/api/v1/runs", yaml, null);
            assertEquals(201, created.statusCode(), created.body());
            String id = id(created);
            seen.add(created.body());
            seen.add(send("GET", "/api/v1/runs/" + id, null, null).body());
            seen.add(send("GET", "/metrics", null, null).body());
            seen.addAll(events(id));
            seen.add(send("GET", "/api/v1/runs", null, null).body());
            for (String artifact : RunsResource.ARTIFACTS.keySet()) {
                seen.add(send("GET", "/api/v1/runs/" + id + "/" + artifact, null, null).body());
            }
            seen.add(send("GET", "/api/v1/runs/" + id, null, null).body());
            try (var walk = Files.walk(data.resolve(id))) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    assertTrue(!text.contains(secret), "the secret is written to " + f.getFileName());
                }
            }
        }
        String all = String.join("\n", seen);
        assertTrue(all.contains("NO-GO") || all.contains("NO_GO"), "the first run failed on its errors: " + all);
        assertTrue(all.contains("Bearer ***"), "the failed setup's answer is quoted, redacted: " + all);
        assertTrue(!all.contains(secret), "the secret appears in a response or event");
    }

    /** serve --output: each run the service starts is pushed live, labelled with its id; the run says what went. */
    @Test
    void eachRunTheServiceStartsIsPushedToItsOutputs() throws Exception {
        java.util.List<byte[]> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer receiver = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .requestHandler(r -> r.body().onSuccess(b -> {
                    bodies.add(b.getBytes());
                    r.response().end();
                })).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String url = "http://127.0.0.1:" + receiver.actualPort() + "/v1/metrics";
        service.exports((run, name, redactor) -> java.util.List.of(new dev.loadleak.export.LiveExporter(
                dev.loadleak.export.LiveExporter.Format.OTLP, URI.create(url), Duration.ofSeconds(1),
                java.util.Map.of("job", "loadleak", "run", run, "scenario", name), 10, redactor, "test")));
        try {
            HttpResponse<String> created = send("POST", "/api/v1/runs", scenario("3s"), null);
            assertEquals(201, created.statusCode(), created.body());
            String id = id(created);
            var done = Await.until(Duration.ofSeconds(30), () -> ManagedRun.JSON.readTree(send("GET", "/api/v1/runs/" + id,
                    null, null).body()), n -> !n.path("status").asText().equals("running"));
            assertEquals("completed", done.path("status").asText(), done.toString());
            String summary = "";
            for (var r : ManagedRun.JSON.readTree(send("GET", "/api/v1/runs", null, null).body()).path("runs")) {
                if (r.path("id").asText().equals(id)) {
                    summary = r.path("exports").path(0).asText();
                }
            }
            assertTrue(summary.startsWith("otlp " + url + ": ") && summary.endsWith(" 0 dropped"), summary);
            assertTrue(bodies.size() >= 2, "pushed while it ran and at its end: " + bodies.size());
            var last = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.parseFrom(
                    bodies.get(bodies.size() - 1)).getResourceMetrics(0);
            var resource = last.getResource().getAttributesList().stream().collect(java.util.stream.Collectors.toMap(
                    io.opentelemetry.proto.common.v1.KeyValue::getKey, kv -> kv.getValue().getStringValue()));
            assertEquals(id, resource.get("run"), resource.toString());
            assertEquals("served", resource.get("scenario"));
            assertTrue(last.getScopeMetrics(0).getMetricsList().stream().anyMatch(m -> m.getName().equals("loadleak_requests")));
        } finally {
            service.exports(null);
            receiver.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
