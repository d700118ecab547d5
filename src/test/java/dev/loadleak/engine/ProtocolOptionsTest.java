package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.client.Clients;
import dev.loadleak.metrics.Collector;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS (trusted or not, {@code insecure}), handshake failures, redirects (followed up to a limit),
 * HTTP/2 (h2c and h2 over TLS via ALPN) and HTTP/1.1 pipelining, against Vert.x servers on
 * 127.0.0.1. Each run: 1 s at 20 req/s, 2 s timeout; every request must be accounted for.
 */
class ProtocolOptionsTest {
    private static Vertx vertx;
    private static HttpServer plain;
    private static HttpServer tls;
    /** HTTP versions the servers saw, by server. */
    private static final Set<HttpVersion> PLAIN_VERSIONS = ConcurrentHashMap.newKeySet();
    private static final Set<HttpVersion> TLS_VERSIONS = ConcurrentHashMap.newKeySet();

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Path keystore = selfSigned(dir);
        plain = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setHttp2ClearTextEnabled(true))
                .requestHandler(r -> {
                    PLAIN_VERSIONS.add(r.version());
                    respond(r);
                }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tls = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setSsl(true).setUseAlpn(true)
                        .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("changeit")))
                .requestHandler(r -> {
                    TLS_VERSIONS.add(r.version());
                    respond(r);
                }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void respond(io.vertx.core.http.HttpServerRequest r) {
        switch (r.path()) {
            case "/start" -> r.response().setStatusCode(302).putHeader("Location", "/middle").end();
            case "/middle" -> r.response().setStatusCode(301).putHeader("Location", "/end").end();
            case "/loop" -> r.response().setStatusCode(302).putHeader("Location", "/loop").end();
            default -> r.response().putHeader("Content-Type", "application/json").end("{\"ok\":true}");
        }
    }

    /** A self-signed certificate for 127.0.0.1, made by the JDK's keytool (no test-only crypto library). */
    static Path selfSigned(Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
        assertTrue(Files.size(ks) > 0);
        return ks;
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private record Run(Stats stats, EngineOutcome outcome) {
        Map<String, Long> kinds() {
            return stats.errorsByKind();
        }
    }

    private static Run run(String scheme, String path, String defaults) throws Exception {
        int port = scheme.equals("https") ? tls.actualPort() : plain.actualPort();
        Run r = runYaml("target: " + scheme + "://127.0.0.1:" + port + "\n"
                + "defaults: {timeout: 2s, maxConnections: 4" + (defaults.isEmpty() ? "" : ", " + defaults) + "}\n"
                + "phases: [{duration: 1s, rate: 20/s}]\nrequests: [{path: " + path + "}]\n");
        System.out.printf(Locale.ROOT, "%s %s {%s}: %d requests, %d ok, %d connections, errors %s%n", scheme, path,
                defaults, r.stats().requests(), r.stats().successes(), r.outcome().connectionsOpened(), r.kinds());
        assertEquals(20, r.stats().requests(), "every request is accounted for: " + r.kinds());
        return r;
    }

    private static Run runYaml(String yaml) throws Exception {
        EnginePlan plan = EnginePlan.of(ScenarioLoader.parse("p.yaml", yaml));
        RunRecorder rec = new RunRecorder(1, 1, plan.lateBoundNanos());
        HttpEngine engine = new HttpEngine(vertx, Clock.SYSTEM, Clients.STANDARD, plan, rec);
        var f = engine.start();
        Collector col = new Collector(rec, engine.startNanos(30_000_000_000L));
        EngineOutcome o = f.get(30, TimeUnit.SECONDS);
        col.collect(System.nanoTime());
        assertEquals(EngineOutcome.Status.COMPLETED, o.status());
        return new Run(col.totals().overall(1), o);
    }

    @Test
    void selfSignedCertificateIsRefusedUnlessInsecure() throws Exception {
        Run refused = run("https", "/ok", "");
        assertEquals(20L, refused.kinds().get("tls"), refused.kinds().toString());
        Run accepted = run("https", "/ok", "insecure: true");
        assertEquals(0, accepted.stats().errors(), accepted.kinds().toString());
        assertTrue(accepted.outcome().client().startsWith("lean HTTP/1.1 over TLS"), accepted.outcome().client());
        Run viaVertx = run("https", "/ok", "insecure: true, client: vertx");
        assertEquals(0, viaVertx.stats().errors(), viaVertx.kinds().toString());
        assertEquals("Vert.x HTTP/1.1", viaVertx.outcome().client());
        Run refusedViaVertx = run("https", "/ok", "client: vertx");
        assertEquals(20L, refusedViaVertx.kinds().get("tls"), refusedViaVertx.kinds().toString());
    }

    @Test
    void tlsToAPlainServerIsAHandshakeFailure() throws Exception {
        Run r = runYaml("target: https://127.0.0.1:" + plain.actualPort() + "\ndefaults: {timeout: 2s, insecure: true}\n"
                + "phases: [{duration: 1s, rate: 20/s}]\nrequests: [{path: /ok}]\n");
        Stats s = r.stats();
        assertEquals(20, s.requests());
        assertEquals(20L, s.errorsByKind().get("tls"), s.errorsByKind().toString());
    }

    @Test
    void redirectsAreAnswersByDefaultAndFollowedUpToTheLimitWhenAsked() throws Exception {
        Run notFollowed = run("http", "/start", "");
        assertEquals(0, notFollowed.stats().errors(), "a 3xx is an answer when not following");
        Run followed = run("http", "/start", "followRedirects: 2");
        assertEquals(0, followed.stats().errors(), followed.kinds().toString());
        Run tooShort = run("http", "/start", "followRedirects: 1");
        assertEquals(20L, tooShort.kinds().get("redirects"), tooShort.kinds().toString());
        Run loop = run("http", "/loop", "followRedirects: 5");
        assertEquals(20L, loop.kinds().get("redirects"), loop.kinds().toString());
    }

    @Test
    void http2CleartextWithPriorKnowledge() throws Exception {
        PLAIN_VERSIONS.clear();
        Run r = run("http", "/ok", "http: 2");
        assertEquals(0, r.stats().errors(), r.kinds().toString());
        assertEquals(Set.of(HttpVersion.HTTP_2), PLAIN_VERSIONS);
        assertTrue(r.outcome().connectionsOpened() <= 4, "streams share connections: " + r.outcome().connectionsOpened());
    }

    @Test
    void http2OverTlsByAlpn() throws Exception {
        TLS_VERSIONS.clear();
        Run r = run("https", "/ok", "http: 2, insecure: true");
        assertEquals(0, r.stats().errors(), r.kinds().toString());
        assertEquals(Set.of(HttpVersion.HTTP_2), TLS_VERSIONS);
    }

    @Test
    void pipeliningOnOneConnection() throws Exception {
        PLAIN_VERSIONS.clear();
        Run r = runYaml("target: http://127.0.0.1:" + plain.actualPort()
                + "\ndefaults: {timeout: 2s, maxConnections: 1, pipelining: 8}\n"
                + "phases: [{duration: 1s, max: true}]\nrequests: [{path: /ok}]\n");
        Stats s = r.stats();
        EngineOutcome o = r.outcome();
        System.out.printf(Locale.ROOT, "pipelining 8 on 1 connection: %d requests in 1 s, %d errors, %d connections%n",
                s.requests(), s.errors(), o.connectionsOpened());
        assertEquals(0, s.errors(), s.errorsByKind().toString());
        assertTrue(s.requests() > 100, "requests: " + s.requests());
        assertEquals(1, o.connectionsOpened(), "one connection carries them all");
        assertEquals(Set.of(HttpVersion.HTTP_1_1), PLAIN_VERSIONS);
    }
}
