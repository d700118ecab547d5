package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.analysis.RunResult;
import dev.loadleak.engine.Shard;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
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
                    Files.createTempDirectory("prewarm"), "test", 1, Shard.WHOLE, null, 1_000_000_000L), vertx, listener)
                    .execute().result();
            assertEquals(50, r.overall().requests(), 2);
            // and the engine's own warm-up request (one per event loop, not counted), as in every run
            long full = r.requests().get("full").requests();
            assertEquals(r.overall().requests() - full + 1, received.get(), "the target received the run's requests only");
            assertEquals(full, elsewhere.get(), "a request written as a full URL is left out of the prewarm");
            assertTrue(description.get().contains("prewarmed its own JIT for 1.0 s against a local sink (nothing sent"),
                    description.get());
        } finally {
            vertx.close();
        }
    }
}
