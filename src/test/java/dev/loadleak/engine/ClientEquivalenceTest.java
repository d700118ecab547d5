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
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lean HTTP/1.1 client and Vert.x's HttpClient must be interchangeable: the same scenario
 * (methods, query, variables in path, headers and body, JSON and text bodies, HEAD, 204, chunked
 * answers, body expectations that pass and fail) sent through each must put the same requests on
 * the wire, as a Vert.x server on 127.0.0.1 parses them, and give the same counts by outcome.
 */
class ClientEquivalenceTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
                .requestHandler(r -> r.body().onSuccess(b -> {
                    SEEN.add(describe(r, b.toString()));
                    respond(r, b.toString());
                })).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    /** Method, URI, every header (names lower-cased, sorted) and body, as the server parsed them. */
    private static String describe(HttpServerRequest r, String body) {
        Map<String, List<String>> headers = new TreeMap<>();
        r.headers().forEach(e -> headers.computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(e.getValue()));
        return r.method() + " " + r.uri() + " " + headers + " body=" + body;
    }

    private static void respond(HttpServerRequest r, String body) {
        switch (r.path()) {
            case "/json" -> r.response().putHeader("Content-Type", "application/json")
                    .end("{\"id\":7,\"status\":\"ok\",\"q\":\"" + r.getParam("n") + "\"}");
            case "/chunked" -> {
                r.response().setChunked(true).write("first part, ");
                r.response().end("second part");
            }
            case "/empty" -> r.response().setStatusCode(204).end();
            case "/echo" -> r.response().setStatusCode(201).end(body);
            case "/missing" -> r.response().setStatusCode(404).end("not here");
            default -> r.response().end("x".repeat(100));
        }
    }

    private record Run(Stats stats, EngineOutcome outcome, List<String> seen) {
    }

    private static Run run(String client) throws Exception {
        SEEN.clear();
        String yaml = "target: http://127.0.0.1:" + server.actualPort() + "\n"
                + "defaults: {timeout: 2s, maxConnections: 4, client: " + client + ", headers: {X-Run: \"r-${seq}\"}}\n"
                + "phases: [{duration: 1s, rate: 90/s}]\n"
                + "requests:\n"
                + "  - {name: json, path: \"/json\", query: {n: \"${seq}\", tag: \"a b&c\"}, expect: {json: {/status: ok}}}\n"
                + "  - {name: wrong-json, path: /json, expect: {json: {/id: 8}}}\n"
                + "  - {name: post, method: POST, path: /echo, body: {item: \"${seq}\", ok: true}, expect: {status: 201, bodyContains: item}}\n"
                + "  - {name: put, method: PUT, path: \"/echo/${seq}\", headers: {Content-Type: text/plain}, body: \"text ${seq}\"}\n"
                + "  - {name: head, method: HEAD, path: /plain}\n"
                + "  - {name: delete, method: DELETE, path: /empty}\n"
                + "  - {name: chunked, path: /chunked, expect: {bodyContains: second part}}\n"
                + "  - {name: missing, path: /missing}\n"
                + "  - {name: absolute, path: \"http://127.0.0.1:" + server.actualPort() + "/plain?x=1\"}\n";
        EnginePlan plan = EnginePlan.of(ScenarioLoader.parse("c.yaml", yaml));
        RunRecorder rec = new RunRecorder(1, plan.requests().size(), plan.lateBoundNanos());
        HttpEngine engine = new HttpEngine(vertx, Clock.SYSTEM, Clients.STANDARD, plan, rec);
        var f = engine.start();
        Collector col = new Collector(rec, engine.startNanos(30_000_000_000L));
        EngineOutcome o = f.get(30, TimeUnit.SECONDS);
        col.collect(System.nanoTime());
        List<String> seen = new ArrayList<>(SEEN);
        seen.removeIf(s -> s.startsWith("GET / ")); // the warm-up request
        seen.sort(null);
        return new Run(col.totals().overall(1), o, seen);
    }

    @Test
    void leanAndVertxClientsSendTheSameRequestsAndCountTheSame() throws Exception {
        Run lean = run("auto");
        Run vx = run("vertx");
        assertTrue(lean.outcome().client().startsWith("lean HTTP/1.1 on "), lean.outcome().client());
        assertEquals("Vert.x HTTP/1.1", vx.outcome().client());
        assertEquals(90, lean.stats().requests(), lean.stats().errorsByKind().toString());
        assertEquals(90, lean.seen().size());
        // wrong-json fails its assertion and /missing is a 404: 10 each of 90; everything else succeeds
        assertEquals(Map.of("assertion", 10L, "status_4xx", 10L), lean.stats().errorsByKind());
        assertEquals(70, lean.stats().successes());
        assertEquals(vx.stats().errorsByKind(), lean.stats().errorsByKind());
        assertEquals(vx.stats().successes(), lean.stats().successes());
        for (int i = 0; i < lean.seen().size(); i++) {
            assertEquals(vx.seen().get(i), lean.seen().get(i), "request " + i + " differs between the clients");
        }
        assertTrue(lean.seen().stream().anyMatch(s -> s.startsWith("POST /echo ") && s.contains("content-type=[application/json]")
                && s.contains("x-run=[r-") && s.contains("body={\"item\":\"")), String.join("\n", lean.seen()));
        assertTrue(lean.seen().stream().anyMatch(s -> s.startsWith("GET /json?n=") && s.contains("tag=a+b%26c")),
                String.join("\n", lean.seen()));
    }
}
