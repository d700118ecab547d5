package dev.loadleak.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loadleak.metrics.DevTools;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.run.RunListener;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.ScenarioLoader;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import har} end to end: headless Chromium (Debian's {@code chromium}) runs the flows demo —
 * CSRF token, login echoing it, session with the bearer token, create, read and delete media —
 * against the in-process built-in target on 127.0.0.1, recorded over the DevTools protocol into a
 * HAR as DevTools' network panel exports it; the scenario imported from it correlates the token,
 * the bearer token and the media id by itself, validates, and runs against the same target with
 * every step passing. Bounded: one page, six requests recorded, a 3 s run.
 */
@QuarkusTest
class HarRecordingTest {
    private static final String FLOW = """
            (async () => {
              const json = r => r.json();
              const csrf = await fetch('/api/v1/csrf/token').then(json);
              const login = await fetch('/api/v1/auth/login', {method: 'POST', headers: {'Content-Type': 'application/json',
                'X-CSRF-Token': csrf.token}, body: JSON.stringify({username: 'demo', password: 'demo'})}).then(json);
              await fetch('/api/v1/auth/session', {headers: {Authorization: 'Bearer ' + login.token}});
              await new Promise(r => setTimeout(r, 300));
              const made = await fetch('/api/v1/media', {method: 'POST', headers: {'Content-Type': 'application/json',
                Authorization: 'Bearer ' + login.token}, body: JSON.stringify({title: 'recorded'})}).then(json);
              await fetch('/api/v1/media/' + made.id);
              const gone = await fetch('/api/v1/media/' + made.id, {method: 'DELETE',
                headers: {Authorization: 'Bearer ' + login.token}});
              return gone.status;
            })()""";

    @TestHTTPResource("/")
    URI base;
    @Inject
    Vertx vertx;
    @TempDir
    Path tmp;

    @Test
    void aRecordedBrowserFlowBecomesAScenarioThatRunsWithItsValuesCorrelated() throws Exception {
        Path chrome = dev.loadleak.Chromium.require();
        JsonNode har = record(chrome);
        Files.writeString(tmp.resolve("flows.har"), har.toPrettyString());
        HarImport.Result r = HarImport.convert(har, "recorded", null, false);
        System.out.println(String.join("\n", r.correlated()) + "\n" + r.yaml());
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(r.yaml());
        String origin = base.toString().replaceAll("/$", "");
        assertEquals(origin, doc.path("target").asText());
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        doc.path("flows").get(0).path("steps").forEach(s -> steps.put(s.path("name").asText(), s));
        assertTrue(steps.keySet().containsAll(List.of("get-token", "post-login", "get-session", "post-media",
                "get-media", "delete-media")), steps.keySet().toString());
        assertEquals("/token", steps.get("get-token").path("extract").path("token").path("json").asText(), r.yaml());
        assertEquals("${token}", steps.get("post-login").path("headers").path("X-CSRF-Token").asText(), r.yaml());
        assertEquals("${env:HAR_PASSWORD}", steps.get("post-login").path("body").path("password").asText(), r.yaml());
        assertEquals("demo", steps.get("post-login").path("body").path("username").asText());
        assertEquals("Bearer ${token_login}", steps.get("get-session").path("headers").path("Authorization").asText());
        assertEquals("/api/v1/media/${id}", steps.get("get-media").path("path").asText());
        assertEquals("/api/v1/media/${id}", steps.get("delete-media").path("path").asText());
        assertTrue(steps.get("get-session").path("think").asText().endsWith("ms"), "the recorded 300 ms pause");
        assertFalse(r.yaml().contains("Cookie"), "cookies are the jar's");
        // no recorded value is written: the tokens and the id are extracted, never copied
        for (JsonNode e : har.path("log").path("entries")) {
            String body = e.path("response").path("content").path("text").asText("");
            JsonNode token = body.startsWith("{") ? new ObjectMapper().readTree(body).path("token") : null;
            if (token != null && token.isTextual()) {
                assertFalse(r.yaml().contains(token.asText()), "a recorded token was written");
            }
        }
        String yaml = r.yaml().replace("duration: 60s", "duration: 3s").replace("concurrency: 1", "concurrency: 2");
        Path out = tmp.resolve("run");
        RunResult result = new RunSession(ScenarioLoader.parse("recorded.yaml", yaml, new ScenarioLoader.Options(
                Map.of("HAR_PASSWORD", "demo")::get, List.of(), false), out),
                new RunSession.Settings(out, "test", 1, Shard.WHOLE, null), vertx, new RunListener() { })
                .execute().result();
        FlowResult flow = result.userFlows().flows().get("recorded");
        assertTrue(flow.completed() >= 2 && flow.failed() == 0, flow + " " + result.load().errorSamples());
        assertEquals(0, result.load().overall().errors(), result.load().errorSamples().toString());
    }

    /** Copies Chromium's output to {@code log}; completes {@code port} with DevTools' port once it says it. */
    private static void copyOutput(Process browser, Path log, java.util.concurrent.CompletableFuture<Integer> port) {
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)/");
        try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(browser.getInputStream()));
             java.io.Writer out = Files.newBufferedWriter(log)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line + "\n");
                out.flush();
                java.util.regex.Matcher m = listening.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (java.io.IOException e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("Chromium ended without saying where DevTools listens"));
    }

    /** Runs {@link #FLOW} in a headless Chromium page on the target and builds the HAR from its network events. */
    private JsonNode record(Path chrome) throws Exception {
        Path profile = tmp.resolve("profile");
        Process browser = new ProcessBuilder(chrome.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        try {
            // Chromium says where DevTools listens ("DevTools listening on ws://127.0.0.1:PORT/..."): await that
            // line, bounded, while its output goes to a log
            java.util.concurrent.CompletableFuture<Integer> listening = new java.util.concurrent.CompletableFuture<>();
            Thread reader = new Thread(() -> copyOutput(browser, tmp.resolve("chromium.log"), listening), "chromium-output");
            reader.setDaemon(true);
            reader.start();
            int port = listening.get(30, TimeUnit.SECONDS);
            Map<String, ObjectNode> seen = new java.util.concurrent.ConcurrentHashMap<>();
            List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
            try (DevTools dt = DevTools.connect(vertx, "127.0.0.1", port, Duration.ofSeconds(10))) {
                dt.onEvent(ev -> event(ev, seen, order));
                dt.call("Network.enable", Map.of(), Duration.ofSeconds(10));
                dt.call("Page.enable", Map.of(), Duration.ofSeconds(10));
                dt.call("Page.navigate", Map.of("url", base + "health"), Duration.ofSeconds(10));
                // the page says when it has loaded: no polling
                JsonNode loaded = dt.call("Runtime.evaluate", Map.of("expression", "new Promise(r => document.readyState "
                        + "=== 'complete' ? r(document.readyState) : addEventListener('load', () => r(document.readyState)))",
                        "awaitPromise", true, "returnByValue", true), Duration.ofSeconds(10));
                assertEquals("complete", loaded.path("result").path("value").asText(), loaded.toString());
                JsonNode status = dt.call("Runtime.evaluate", Map.of("expression", FLOW, "awaitPromise", true,
                        "returnByValue", true), Duration.ofSeconds(20));
                assertEquals(204, status.path("result").path("value").asInt(), status.toString());
                ArrayNode entries = JsonNodeFactory.instance.arrayNode();
                for (String id : List.copyOf(order)) {
                    ObjectNode e = seen.get(id);
                    if (e.path("response").isMissingNode()) {
                        continue;
                    }
                    String text = "";
                    try {
                        text = dt.call("Network.getResponseBody", Map.of("requestId", id), Duration.ofSeconds(5))
                                .path("body").asText("");
                    } catch (DevTools.DevToolsException noBody) {
                        // a 204, or an answer the browser kept no body of: DevTools exports none either
                    }
                    ((ObjectNode) e.path("response").path("content")).put("text", text);
                    entries.add(e);
                }
                ObjectNode har = JsonNodeFactory.instance.objectNode();
                ObjectNode log = har.putObject("log").put("version", "1.2");
                log.putObject("creator").put("name", "HarRecordingTest").put("version", "1");
                log.set("entries", entries);
                return har;
            }
        } finally {
            browser.destroy();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A network event into its HAR entry: the request as sent, then the answer's status, headers and type. */
    private static void event(JsonNode ev, Map<String, ObjectNode> seen, List<String> order) {
        JsonNode p = ev.path("params");
        String id = p.path("requestId").asText("");
        switch (ev.path("method").asText()) {
            case "Network.requestWillBeSent" -> {
                JsonNode req = p.path("request");
                ObjectNode e = JsonNodeFactory.instance.objectNode();
                e.put("startedDateTime", Instant.ofEpochMilli(Math.round(p.path("wallTime").asDouble() * 1000)).toString());
                e.put("_start", p.path("timestamp").asDouble());
                ObjectNode r = e.putObject("request").put("method", req.path("method").asText())
                        .put("url", req.path("url").asText()).put("httpVersion", "HTTP/1.1");
                r.set("headers", headers(req.path("headers")));
                if (req.has("postData")) {
                    String type = req.path("headers").path("Content-Type").asText("application/octet-stream");
                    r.putObject("postData").put("mimeType", type).put("text", req.path("postData").asText());
                }
                seen.put(id, e);
                order.add(id);
            }
            case "Network.responseReceived" -> {
                ObjectNode e = seen.get(id);
                if (e != null) {
                    JsonNode res = p.path("response");
                    ObjectNode r = e.putObject("response").put("status", res.path("status").asInt());
                    r.set("headers", headers(res.path("headers")));
                    r.putObject("content").put("mimeType", res.path("mimeType").asText(""));
                }
            }
            case "Network.loadingFinished" -> {
                ObjectNode e = seen.get(id);
                if (e != null) {
                    e.put("time", (p.path("timestamp").asDouble() - e.path("_start").asDouble()) * 1000);
                }
            }
            default -> { }
        }
    }

    private static ArrayNode headers(JsonNode object) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        object.properties().forEach(h -> out.addObject().put("name", h.getKey()).put("value", h.getValue().asText()));
        return out;
    }
}
