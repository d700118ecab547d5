package dev.loadleak.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.scenario.Confinement;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The requests a web page can make to a {@code serve} on 127.0.0.1, sent byte for byte as a
 * browser sends them (a raw socket: Java's client will not forge a Host): a cross-origin POST of
 * text/plain, which fetch sends with {@code mode: "no-cors"} and no preflight; a page on a
 * rebinding domain, which names its own domain as Host; a CORS preflight. None starts a run or reads
 * an answer; the dashboard's and curl's requests still pass.
 */
@QuarkusTest
class ServeForgeryTest {
    private static final String SCENARIO = "target: http://127.0.0.1:9\nphases: [{duration: 1s, rate: 1/s}]\n"
            + "requests: [{path: /}]\n";

    @TestHTTPResource("/")
    URI base;
    @Inject
    RunService service;

    @BeforeEach
    void serve() throws Exception {
        service.stopServing();
        service.configure(new RunService.Config(Files.createTempDirectory("forgery"), 1, null, 64 * 1024, "test", 1,
                Confinement.server(false, null, Set.of(), null), Map.<String, String>of()::get,
                Set.of("loadleak.internal")));
    }

    @AfterEach
    void stop() {
        service.stopServing();
    }

    /** The status line and the rest of the answer to {@code head} (without Host) sent with {@code host}. */
    private String[] raw(String method, String path, String host, String headers, String body) throws Exception {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String req = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Content-Length: " + b.length
                + "\r\nConnection: close\r\n\r\n";
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int eol = answer.indexOf("\r\n");
            return new String[] {answer.substring(0, eol), answer.substring(eol + 2)};
        }
    }

    private String own() {
        return "127.0.0.1:" + base.getPort();
    }

    /** serve --history's routes: 404 without a history; with one, the same Host check as every route. */
    @Test
    void theHistoryRoutesAreGuardedAsEveryRoute() throws Exception {
        assertTrue(raw("GET", "/api/v1/history", own(), "", null)[0].contains(" 404 "));
        java.nio.file.Path file = Files.createTempDirectory("forgery-history").resolve("h.db");
        try (dev.loadleak.history.HistoryStore h = dev.loadleak.history.HistoryStore.open(file)) {
            h.add(dev.loadleak.history.HistoryFixtures.result("gate", "2026-11-01T00:00:00Z", 5000), Map.of(), null);
        }
        service.history(file, Map.of());
        String[] ok = raw("GET", "/api/v1/history", own(), "", null);
        assertTrue(ok[0].contains(" 200 ") && ok[1].contains("\"name\":\"gate\"") && ok[1].contains("\"runs\":1")
                && ok[1].contains("need at least 6"), ok[0] + "\n" + ok[1]);
        assertTrue(raw("GET", "/api/v1/history/gate/trend.html", own(), "", null)[1].contains("loadleak trend: gate"));
        assertTrue(raw("GET", "/api/v1/history/other/trend.html", own(), "", null)[0].contains(" 404 "));
        String[] rebound = raw("GET", "/api/v1/history/gate/trend.html", "evil.example:" + base.getPort(), "", null);
        assertTrue(rebound[0].contains(" 421 ") && !rebound[1].contains("loadleak trend"), rebound[0] + "\n" + rebound[1]);
    }

    @Test
    void aCrossOriginNoCorsPostStartsNothing() throws Exception {
        String[] r = raw("POST", "/api/v1/runs", own(), "Origin: http://evil.example\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                + "Sec-Fetch-Mode: no-cors\r\nSec-Fetch-Site: cross-site\r\n", SCENARIO);
        assertTrue(r[0].contains(" 403 "), r[0] + "\n" + r[1]);
        assertTrue(r[1].contains("is refused"), r[1]);
        assertEquals(0, service.list().size(), "no run started");
        // a form post (no Origin from an old browser, or a stripped one): its type alone is refused
        String[] form = raw("POST", "/api/v1/runs", own(), "Content-Type: application/x-www-form-urlencoded\r\n", SCENARIO);
        assertTrue(form[0].contains(" 415 "), form[0] + "\n" + form[1]);
        assertTrue(form[1].contains("Content-Type: application/yaml"), "says how to post: " + form[1]);
        assertEquals(0, service.list().size(), "no run started");
    }

    @Test
    void aRebindingPageReadsNothing() throws Exception {
        for (String path : new String[] {"/api/v1/runs", "/", "/metrics"}) {
            String[] r = raw("GET", path, "evil.example:" + base.getPort(), "", null);
            assertTrue(r[0].contains(" 421 "), path + ": " + r[0] + "\n" + r[1]);
            assertFalse(r[1].contains("\"runs\"") || r[1].contains("<html"), r[1]);
        }
        assertTrue(raw("GET", "/api/v1/runs", "loadleak.internal:" + base.getPort(), "", null)[0].contains(" 200 "),
                "a --public-name is answered");
        assertTrue(raw("GET", "/api/v1/runs", "[::1]:" + base.getPort(), "", null)[0].contains(" 200 "));
    }

    @Test
    void aPreflightGetsNoAllowOrigin() throws Exception {
        String[] r = raw("OPTIONS", "/api/v1/runs", own(), "Origin: http://evil.example\r\nAccess-Control-Request-Method: "
                + "POST\r\nAccess-Control-Request-Headers: content-type\r\n", null);
        assertFalse(r[1].toLowerCase(Locale.ROOT).contains("access-control-allow-origin"), r[0] + "\n" + r[1]);
    }

    @Test
    void theDashboardAndCurlStillPass() throws Exception {
        String[] dashboard = raw("POST", "/api/v1/validate", own(), "Origin: http://" + own() + "\r\nContent-Type: "
                + "application/yaml\r\nX-Loadleak-Client: dashboard\r\n", SCENARIO);
        assertTrue(dashboard[0].contains(" 200 "), dashboard[0] + "\n" + dashboard[1]);
        String[] curl = raw("POST", "/api/v1/validate", own(), "Content-Type: application/yaml\r\nUser-Agent: curl/8\r\n",
                SCENARIO);
        assertTrue(curl[0].contains(" 200 "), curl[0] + "\n" + curl[1]);
        String[] json = raw("POST", "/api/v1/validate", "localhost:" + base.getPort(), "Content-Type: application/json\r\n",
                "{\"target\": \"http://127.0.0.1:9\", \"phases\": [{\"duration\": \"1s\", \"rate\": \"1/s\"}], "
                        + "\"requests\": [{\"path\": \"/\"}]}");
        assertTrue(json[0].contains(" 200 "), json[0] + "\n" + json[1]);
    }
}
