package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the packaged app: values that flows and setup extract (tokens, cookies) never appear in
 * stdout, stderr or any written file, even where answers echo them back in failures. The target
 * is a JDK HTTP server on 127.0.0.1 in this test that hands out known tokens.
 */
class FlowSecretsIT {
    private static final List<String> SECRETS = List.of("csrf-SECRET-1111", "cookie-SECRET-2222", "jwt-SECRET-3333",
            "sid-SECRET-4444", "admin-SECRET-5555");
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String cookie = ex.getRequestHeaders().getFirst("Cookie");
            int status = 200;
            String body;
            switch (path) {
                case "/health" -> body = "ok";
                case "/admin/login" -> body = "{\"token\":\"" + SECRETS.get(4) + "\"}";
                case "/csrf" -> {
                    ex.getResponseHeaders().add("Set-Cookie", "csrf=" + SECRETS.get(1) + "; Path=/");
                    body = "{\"token\":\"" + SECRETS.get(0) + "\"}";
                }
                case "/login" -> {
                    boolean ok = SECRETS.get(0).equals(ex.getRequestHeaders().getFirst("X-CSRF-Token"))
                            && cookie != null && cookie.contains(SECRETS.get(1));
                    status = ok ? 200 : 403;
                    ex.getResponseHeaders().add("Set-Cookie", "sid=" + SECRETS.get(3) + "; Path=/");
                    body = ok ? "{\"token\":\"" + SECRETS.get(2) + "\"}" : "{\"error\":\"csrf\"}";
                }
                default -> {
                    // every failure echoes what it was sent: the request's token, cookie and path
                    status = path.startsWith("/echo-ok") ? 200 : 500;
                    body = "{\"error\":\"echo\",\"auth\":\"" + ex.getRequestHeaders().getFirst("Authorization")
                            + "\",\"cookie\":\"" + cookie + "\",\"path\":\"" + path + "\"}";
                }
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private List<String> run(String yaml, Path dir, int expectedExit) throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, "name: flow-secrets\ntarget: http://127.0.0.1:" + server.getAddress().getPort()
                + "\npreflight: {url: /health}\n" + yaml);
        Process run = Packaged.process("run", scenario.toString(), "--out", dir.resolve("out").toString()).start();
        byte[] out = run.getInputStream().readAllBytes();
        byte[] err = run.getErrorStream().readAllBytes();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS));
        List<String> everything = new ArrayList<>(List.of(new String(out), new String(err)));
        assertEquals(expectedExit, run.exitValue(), everything.toString());
        if (Files.exists(dir.resolve("out"))) {
            try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    everything.add(Files.readString(f, StandardCharsets.ISO_8859_1));
                }
            }
        }
        for (String text : everything) {
            for (String secret : SECRETS) {
                assertFalse(text.contains(secret), "an extracted secret leaked into output: " + secret);
            }
        }
        return everything;
    }

    @Test
    void noExtractedValueInAnyOutput() throws Exception {
        Path dir = Files.createTempDirectory("flow-secrets");
        List<String> out = run("""
                phases: [{duration: 2s, concurrency: 2}]
                setup:
                  - {name: admin, method: POST, path: /admin/login, extract: {admin: {json: /token}}}
                flows:
                  - name: user
                    onError: continue
                    steps:
                      - {name: csrf, path: /csrf, extract: {csrf: {json: /token}}}
                      - {name: login, method: POST, path: /login, headers: {X-CSRF-Token: "${csrf}"},
                         expect: {status: 200}, extract: {jwt: {json: /token}, sid: {cookie: sid}}}
                      - {name: use, path: "/echo/${jwt}/${sid}", headers: {Authorization: "Bearer ${jwt}"},
                         expect: {status: 200}}
                      - {name: find, path: /echo-ok, extract: {nothing: {regex: "absent-(\\\\d+)"}}}
                teardown:
                  - {name: cleanup, method: DELETE, path: "/echo/${admin}", headers: {Authorization: "Bearer ${admin}"}}
                criteria: {required: [error_rate < 90%]}
                """, dir, 0);
        String stdout = out.get(0);
        assertTrue(stdout.contains("flow (iterations)"), stdout);
        assertTrue(stdout.contains("setup admin: POST /admin/login -> 200"), stdout);
        assertTrue(stdout.contains("teardown cleanup: DELETE /echo/${admin} -> 500"), stdout);
        assertTrue(stdout.contains("***"), "the echoed values were redacted: " + stdout);
        String json = Files.readString(dir.resolve("out/result.json"));
        assertTrue(json.contains("\"flows\"") && json.contains("\"setup\""), json);
    }

    @Test
    void aFailedSetupStepExits3WithARedactedExcerptAndSendsNoLoad() throws Exception {
        Path dir = Files.createTempDirectory("flow-setup");
        List<String> out = run("""
                phases: [{duration: 2s, concurrency: 2}]
                setup:
                  - {name: admin, method: POST, path: /admin/login, extract: {admin: {json: /token}}}
                  - {name: check, path: "/fails/${admin}", headers: {Authorization: "Bearer ${admin}"},
                     expect: {status: 200}}
                flows: [{name: user, steps: [{path: /csrf}]}]
                """, dir, 3);
        String all = String.join("\n", out);
        assertTrue(all.contains("setup step check (GET /fails/${admin}) failed: HTTP 500"), all);
        assertTrue(all.contains("body: {\"error\":\"echo\",\"auth\":\"Bearer ***\""), all);
        assertTrue(all.contains("no load was sent"), all);
    }
}
