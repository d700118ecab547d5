package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code --prewarm}: loadleak warms its own JIT against a local sink before the load; the target
 * receives the run's requests only, and the run says it prewarmed. 127.0.0.1, about 2 s.
 */
class PrewarmTest {
    @Test
    void thePrewarmSendsNothingToTheTarget() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            AtomicLong received = new AtomicLong();
            HttpServer target = vertx.createHttpServer().requestHandler(r -> {
                received.incrementAndGet();
                r.response().end("ok");
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            AtomicLong elsewhere = new AtomicLong();
            HttpServer other = vertx.createHttpServer().requestHandler(r -> {
                elsewhere.incrementAndGet();
                r.response().end("ok");
            }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String yaml = "name: warmed\ntarget: http://127.0.0.1:" + target.actualPort() + "\n"
                    + "phases: [{duration: 1s, rate: 50/s}]\nrequests: [{path: /x, weight: 9}, {path: /y, method: POST, "
                    + "body: {a: 1}, weight: 9}, {name: full, path: \"http://127.0.0.1:" + other.actualPort() + "/z\"}]\n";
            AtomicReference<String> description = new AtomicReference<>();
            RunListener listener = new RunListener() {
                @Override
                public void starting(String d) {
                    description.set(d);
                }
            };
            RunResult r = new RunSession(ScenarioLoader.parse("w.yaml", yaml), new RunSession.Settings(
                    Files.createTempDirectory("prewarm"), "test", 1, Shard.WHOLE, null, 1_000_000_000L, IoTransport.AUTO), vertx, listener)
                    .execute().result();
            assertEquals(50, r.load().overall().requests(), 2);
            // and the engine's own warm-up request (one per event loop, not counted), as in every run
            long full = r.load().requests().get("full").requests();
            assertEquals(r.load().overall().requests() - full + 1, received.get(), "the target received the run's requests only");
            assertEquals(full, elsewhere.get(), "a request written as a full URL is left out of the prewarm");
            // at least 1 s, on while the JIT compiles, at most 3 s and the engine of half a second under way then
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "prewarmed its own JIT for (\\d+\\.\\d) s \\(\\d+ engines one after another\\) against a local sink \\(nothing sent").matcher(description.get());
            assertTrue(m.find(), description.get());
            double took = Double.parseDouble(m.group(1));
            assertTrue(took >= 1.0 && took <= 4.5, description.get());
        } finally {
            vertx.close();
        }
    }

    @Test
    void theSinkTakesTurnsAtTheShapesOfRealAnswers() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (PrewarmSink sink = PrewarmSink.start(vertx)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI uri = URI.create("http://127.0.0.1:" + sink.port() + "/x");
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (HttpResponse<String> a : answers) {
                assertEquals(200, a.statusCode());
                assertEquals(PrewarmSink.BODY, a.body(), "every shape carries the same JSON");
            }
            assertEquals("keep-alive", answers.get(0).headers().firstValue("connection").orElse(""));
            assertTrue(answers.get(0).headers().firstValue("server").isPresent());
            assertEquals("chunked", answers.get(1).headers().firstValue("transfer-encoding").orElse(""));
            assertTrue(answers.get(2).headers().firstValue("date").isEmpty());
            assertTrue(answers.get(3).headers().firstValue("set-cookie").isPresent());
            // a POST whose body holds a blank line (as multipart bodies do) is one request: 201, then the next
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers
                    .ofString("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, post.statusCode());
            assertEquals(PrewarmSink.BODY, post.body());
            HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals(200, client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode(), "the HEAD's answer had no body: the connection is still in step");

            // three requests in one write (pipelined, a body with a blank line in the middle): three answers in order
            try (Socket s = new Socket("127.0.0.1", sink.port())) {
                s.setSoTimeout(5000);
                String body = "x\r\n\r\ny";
                s.getOutputStream().write(("GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\n"
                        + "CONTENT-LENGTH: " + body.length() + "\r\n\r\n" + body + "GET /c HTTP/1.1\r\nHost: h\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                StringBuilder got = new StringBuilder();
                byte[] buf = new byte[4096];
                while (got.toString().split("HTTP/1.1 ", -1).length - 1 < 3 || !got.toString().endsWith(PrewarmSink.BODY)) {
                    int n = s.getInputStream().read(buf);
                    assertTrue(n > 0, "the sink closed after: " + got);
                    got.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                }
                String all = got.toString();
                assertTrue(all.startsWith("HTTP/1.1 200 OK"), all);
                assertTrue(all.indexOf("HTTP/1.1 201 Created") > 0, all);
                assertEquals(3, all.split("HTTP/1.1 ", -1).length - 1, all);
            }
            // every 200th answer of a connection says close, and the sink closes it (the JIT sees connections come and go)
            try (Socket s = new Socket("127.0.0.1", sink.port())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("GET /a HTTP/1.1\r\nHost: h\r\n\r\n".repeat(PrewarmSink.CLOSE_EVERY + 5)
                        .getBytes(StandardCharsets.US_ASCII));
                String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII); // to the close
                assertEquals(PrewarmSink.CLOSE_EVERY, all.split("HTTP/1.1 200 OK", -1).length - 1);
                assertEquals(1, all.split("Connection: close", -1).length - 1);
                assertTrue(all.lastIndexOf("Connection: close") > all.lastIndexOf("HTTP/1.1 200 OK"), "the last says close");
            }
        } finally {
            vertx.close();
        }
    }
}
