package dev.loadleak.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.scenario.Confinement;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CSRF attack itself, in a real headless Chromium: a page served from another origin
 * (127.0.0.1 on another port) posts a scenario to serve on localhost the two ways a page can — a
 * "simple" no-cors POST of text/plain (no preflight) and a CORS POST of application/yaml (which
 * needs a preflight). Serve must start no run; the page must not read an answer. Skipped only where
 * Chromium is not installed.
 */
@QuarkusTest
class CrossOriginPageTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    RunService service;
    @Inject
    Vertx vertx;

    private HttpServer evil;
    private final List<String> attempts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void serve() throws Exception {
        service.stopServing();
        service.configure(new RunService.Config(Files.createTempDirectory("csrf"), 1, null, 64 * 1024, "test", 1,
                Confinement.server(false, null, Set.of(), null), Map.<String, String>of()::get));
        String api = "http://localhost:" + base.getPort() + "/api/v1/runs";
        String scenario = "target: http://127.0.0.1:9\\nphases: [{duration: 1s, rate: 1/s}]\\nrequests: [{path: /}]\\n";
        String page = "<!DOCTYPE html><html><body><p id='out'>waiting</p><script>"
                + "var out=[];function done(){document.getElementById('out').textContent=out.join(' | ');}"
                + "fetch('" + api + "',{method:'POST',mode:'no-cors',headers:{'Content-Type':'text/plain'},body:'" + scenario
                + "'}).then(function(r){out.push('no-cors:'+r.type+':'+r.status);}).catch(function(e){out.push('no-cors:error');})"
                + ".then(function(){return fetch('" + api + "',{method:'POST',headers:{'Content-Type':'application/yaml'},"
                + "body:'" + scenario + "'});}).then(function(r){out.push('cors:'+r.status);},function(e){out.push('cors:blocked');})"
                + ".then(done);</script></body></html>";
        evil = vertx.createHttpServer().requestHandler(r -> {
            attempts.add(r.path());
            r.response().putHeader("Content-Type", "text/html").end(page);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        service.stopServing();
        evil.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPageOnAnotherOriginStartsNoRunAndReadsNothing() throws Exception {
        Path chrome = dev.loadleak.Chromium.require();
        Path dir = Files.createTempDirectory("csrf-chrome");
        List<String> cmd = new ArrayList<>(List.of(chrome.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=10000",
                "--dump-dom", "http://127.0.0.1:" + evil.actualPort() + "/evil.html"));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("log.txt").toFile()).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        assertTrue(attempts.contains("/evil.html"), "the page was loaded: " + attempts);
        assertTrue(dom.contains("no-cors:opaque:0"), "the no-cors POST was sent, its answer unreadable: " + dom);
        assertTrue(dom.contains("cors:blocked"), "the CORS POST failed its preflight: " + dom);
        assertEquals(0, service.list().size(), "no run was started");
    }
}
