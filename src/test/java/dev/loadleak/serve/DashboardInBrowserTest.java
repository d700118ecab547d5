package dev.loadleak.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.history.HistoryFixtures;
import dev.loadleak.history.HistoryStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: headless Chromium driven over WebDriver (Debian's
 * {@code chromium} and {@code chromium-driver}, which .ci/run installs) opens the page, starts a
 * run through it against a server of this test on 127.0.0.1, sees live points arrive within 3 s
 * and the verdict at the end, with no console error and a screenshot that is not blank. Skipped
 * only where chromium or chromedriver is not installed.
 */
@QuarkusTest
class DashboardInBrowserTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    RunService service;
    @Inject
    Vertx vertx;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String driver;

    private JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(driver + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        String json = body == null ? null : ManagedRun.JSON.writeValueAsString(body);
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = ManagedRun.JSON.readTree(r.body());
        assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
        return n.path("value");
    }

    private boolean driverReady() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(driver + "/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("\"ready\":true");
        } catch (java.io.IOException notYet) {
            return false; // chromedriver is starting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One press of the Tab key, as WebDriver actions. */
    private static ObjectNode tab() {
        ObjectNode body = ManagedRun.JSON.createObjectNode();
        ObjectNode keys = body.putArray("actions").addObject().put("type", "key").put("id", "keyboard");
        var a = keys.putArray("actions");
        a.addObject().put("type", "keyDown").put("value", "\uE004");
        a.addObject().put("type", "keyUp").put("value", "\uE004");
        return body;
    }

    private JsonNode script(String session, String js) throws Exception {
        ObjectNode body = ManagedRun.JSON.createObjectNode().put("script", js);
        body.putArray("args");
        return call("POST", "/session/" + session + "/execute/sync", body);
    }

    @Test
    void startARunThroughThePageAndWatchItLive() throws Exception {
        Path chrome = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        Assumptions.assumeTrue(Files.isExecutable(chrome) && Files.isExecutable(chromedriver),
                "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        AtomicLong heap = new AtomicLong(50_000_000);
        HttpServer target = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(r -> {
            if (r.path().equals("/metrics")) {
                r.response().end("# TYPE heap_bytes gauge\nheap_bytes " + heap.addAndGet(100_000) + "\n");
            } else {
                r.response().end("{\"ok\":true}");
            }
        }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path data = Files.createTempDirectory("dash");
        service.stopServing();
        service.configure(new RunService.Config(data, 1, null, 64 * 1024, "test", 1));
        // serve --history: 8 runs of this scenario recorded before, at 1 ms then 3 ms (a regression at run 5)
        Path historyFile = data.resolve("history.db");
        try (HistoryStore h = HistoryStore.open(historyFile)) {
            long[] p95 = {1000, 1030, 980, 1010, 3000, 3050, 2960, 3020};
            for (int i = 0; i < 8; i++) {
                h.add(HistoryFixtures.result("from-the-page", "2026-11-0" + (i + 1) + "T00:00:00Z", p95[i]),
                        Map.of("commit", "c" + i), null);
            }
        }
        service.history(historyFile, Map.of("commit", "from-the-page-test"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = data.resolve("chromedriver.log");
        Process cd = new ProcessBuilder(chromedriver.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        driver = "http://127.0.0.1:" + port;
        String session = null;
        try {
            boolean ready = Await.until(Duration.ofSeconds(10), this::driverReady, r -> r);
            assertTrue(ready, "chromedriver did not start: " + Files.readString(log));
            ObjectNode caps = ManagedRun.JSON.createObjectNode();
            ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
            always.put("browserName", "chrome");
            always.putObject("goog:loggingPrefs").put("browser", "ALL");
            ObjectNode opts = always.putObject("goog:chromeOptions").put("binary", chrome.toString());
            var args = opts.putArray("args");
            // no network beyond 127.0.0.1 here: Chromium's own background connections would only be refused
            for (String a : List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync",
                    "--window-size=1000,1300", "--user-data-dir=" + Files.createTempDirectory(data, "profile"))) {
                args.add(a);
            }
            session = call("POST", "/session", caps).path("sessionId").asText();
            call("POST", "/session/" + session + "/url", ManagedRun.JSON.createObjectNode().put("url", base.toString()));
            String scenario = "name: from-the-page\\ntarget: http://127.0.0.1:" + target.actualPort() + "\\n"
                    + "phases: [{name: ramp, duration: 2s, rate: 20/s}, {name: steady, duration: 3s, rate: 40/s}]\\n"
                    + "requests: [{path: /x}]\\n"
                    + "memory: {interval: 500ms, sources: [{name: heap, type: prometheus, url: /metrics, metric: heap_bytes}]}\\n"
                    + "criteria: {required: [error_rate < 1%]}\\n";
            script(session, "document.getElementById('scenario').value = \"" + scenario + "\";");
            JsonNode button = call("POST", "/session/" + session + "/element",
                    ManagedRun.JSON.createObjectNode().put("using", "css selector").put("value", "#start"));
            String element = button.fields().next().getValue().asText();
            call("POST", "/session/" + session + "/element/" + element + "/click", ManagedRun.JSON.createObjectNode());
            String s = session;
            int points = Await.until(Duration.ofSeconds(3), () -> script(s,
                    "return +document.getElementById('points').textContent;").asInt(), n -> n > 0);
            assertTrue(points > 0, "no live point within 3 s of starting; page says: "
                    + script(session, "return document.body.innerText;").asText());
            String criterion = Await.until(Duration.ofSeconds(5), () -> script(s,
                    "return document.getElementById('criteria').innerText;").asText(), t -> t.contains("error_rate"));
            assertTrue(criterion.contains("PASS") && criterion.contains("error_rate < 1%") && criterion.contains("required"),
                    "each criterion's status as it stands, in words: " + criterion);
            String verdict = Await.until(Duration.ofSeconds(30), () -> script(s,
                    "return document.getElementById('end').hidden ? '' : document.getElementById('verdict').textContent;")
                    .asText(), v -> !v.isEmpty());
            assertTrue(verdict.startsWith("GO (score 100)"), "verdict shown: \"" + verdict + "\"");
            String text = script(session, "return document.body.innerText;").asText();
            // 5 s is too short for a trend (the detector needs 20 samples and 20 s after the warm-up): the page says so, with no
            // slope and no interval, rather than a "0.0 MB/h (95 % CI 0.0–0.0)" that would claim what no data shows
            assertTrue(text.contains("heap: latest ") && text.contains("INCONCLUSIVE: no trend yet (only")
                    && text.contains("run longer") && !text.contains("95 % CI"), "the memory line: " + text);
            assertTrue(script(session, "return document.querySelectorAll('#runs tr').length;").asInt() >= 1, text);
            // charts with axes: value ticks with units, seconds below, the second phase's start marked by name
            String ticks = script(session, "return [...document.querySelectorAll('#c-lat text.tick')].map(t => t.textContent)"
                    + ".join('|') + '#' + [...document.querySelectorAll('#c-tput text.tick')].map(t => t.textContent).join('|')"
                    + " + '#' + [...document.querySelectorAll('#c-tput text.phase')].map(t => t.textContent).join('|');").asText();
            assertTrue(ticks.matches("0 µs\\|[0-9.]+ (µs|ms)\\|[0-9.]+ (µs|ms)\\|1 s\\|\\d+ s\\|\\d+ s#0/s\\|\\d+/s\\|\\d+/s\\|"
                    + "1 s\\|\\d+ s\\|\\d+ s#steady"), "axes: " + ticks);
            // human start times, not ISO strings with nanoseconds
            String started = script(session, "return document.querySelector('#runs tr').cells[5].textContent;").asText();
            assertTrue(!started.contains("T") && started.matches(".*\\d{1,2}:\\d{2}:\\d{2}.*"), "start time: " + started);
            // the run is recorded in the history: its row and the trends table show the scenario's p95 by run (9 runs)
            String trendsText = Await.until(Duration.ofSeconds(5), () -> script(s,
                    "return document.getElementById('trends-section').hidden ? '' : document.getElementById('trends')"
                            + ".innerText;").asText(), t -> t.contains("\t9\t"));
            assertTrue(trendsText.startsWith("from-the-page\ttrend\t") && trendsText.contains("\t9\t"), "the trends table: " + trendsText + "; page: " + text);
            assertTrue(trendsText.contains("REGRESSION in force") && trendsText.contains("at run 5 of 9"), trendsText);
            String sparkLabel = script(session, "const r = [...document.querySelectorAll('#runs tr')]"
                    + ".find(tr => tr.cells[1].textContent === 'from-the-page'); const g = r && r.querySelector('svg.spark');"
                    + "return g ? g.getAttribute('aria-label') + '|' + g.querySelector('polyline').getAttribute('points')"
                    + ".split(' ').length : '';").asText();
            assertTrue(sparkLabel.startsWith("p95 of the last 9 runs, from 1.0 ms to ") && sparkLabel.endsWith("|9"),
                    "the runs list's small trend: " + sparkLabel);
            JsonNode logs = call("POST", "/session/" + session + "/se/log",
                    ManagedRun.JSON.createObjectNode().put("type", "browser"));
            for (JsonNode entry : logs) {
                assertTrue(!entry.path("level").asText().equals("SEVERE"), "console error: " + entry);
            }
            byte[] png = Base64.getDecoder().decode(call("GET", "/session/" + session + "/screenshot", null).asText());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            Set<Integer> colors = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 3) {
                for (int x = 0; x < img.getWidth(); x += 3) {
                    colors.add(img.getRGB(x, y));
                }
            }
            assertTrue(colors.size() > 50, "the screenshot looks blank: " + colors.size() + " colours");
            Files.write(Path.of("target", "dashboard-screenshot.png"), png);

            // keyboard: every control can take the focus, and Tab moves it to the first one
            assertEquals(0, script(session, "return [...document.querySelectorAll('button, a[href], textarea, input')]"
                    + ".filter(e => e.tabIndex < 0).length;").asInt(), "a control the keyboard cannot reach");
            call("POST", "/session/" + session + "/actions", tab());
            String focused = script(session, "return document.activeElement.id || document.activeElement.tagName;").asText();
            assertTrue(!focused.equals("BODY"), "Tab moved the focus to " + focused);
            // a narrow window (a phone): nothing wider than the window, the live view still there
            call("POST", "/session/" + session + "/window/rect", ManagedRun.JSON.createObjectNode()
                    .put("width", 400).put("height", 900));
            int overflow = script(session, "return document.documentElement.scrollWidth - window.innerWidth;").asInt();
            assertTrue(overflow <= 1, "the page is " + overflow + " px wider than a 400 px window");
            assertTrue(script(session, "return document.getElementById('verdict').getBoundingClientRect().width;")
                    .asDouble() > 0, "the verdict is still shown in a narrow window");
            // a bad run id says so, instead of a run that never gets a second
            call("POST", "/session/" + session + "/url", ManagedRun.JSON.createObjectNode().put("url", base + "#no-such-id"));
            String missing = Await.until(Duration.ofSeconds(5), () -> script(s,
                    "return document.getElementById('live-status').textContent;").asText(), t -> t.equals("no such run"));
            assertEquals("no such run", missing);
            // the trend view: the link opens the charts of history trend --format html, the regression shaded
            String href = script(session, "return document.querySelector('#trends a').href;").asText();
            assertTrue(href.endsWith("/api/v1/history/from-the-page/trend.html"), href);
            call("POST", "/session/" + session + "/url", ManagedRun.JSON.createObjectNode().put("url", href));
            String page = script(session, "return document.title + '|' + document.querySelectorAll('section.chart-box svg')"
                    + ".length + '|' + document.body.innerText;").asText();
            assertTrue(page.startsWith("loadleak trend: from-the-page|") && page.contains("9 runs")
                    && page.contains("the newest run comes after a regression still in force"), page);
            assertTrue(Integer.parseInt(page.split("\\|")[1]) >= 2, "a chart per metric: " + page);
            for (JsonNode entry : call("POST", "/session/" + session + "/se/log",
                    ManagedRun.JSON.createObjectNode().put("type", "browser"))) {
                // the one expected: Chromium logs the 404 that told the page the run id is unknown
                boolean expected = entry.path("message").asText().contains("/api/v1/runs/no-such-id - Failed to load "
                        + "resource: the server responded with a status of 404");
                assertTrue(expected || !entry.path("level").asText().equals("SEVERE"), "console error: " + entry);
            }
        } finally {
            if (session != null) {
                try {
                    call("DELETE", "/session/" + session, null);
                } catch (Exception | AssertionError ignored) {
                    // the browser is gone already
                }
            }
            cd.destroy();
            cd.waitFor(10, TimeUnit.SECONDS);
            service.stopServing();
            service.history(null, Map.of());
            target.close();
        }
    }
}
