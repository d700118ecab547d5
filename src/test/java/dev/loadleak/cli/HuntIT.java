package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which endpoint leaks, on the packaged application, with ground truth from the built-in target:
 * a scenario of four requests against a target that retains 2 KB per create-media request only;
 * {@code hunt} names create-media, at about 2 KB per request, and flags no other request; the same
 * target without the knob: no LEAK anywhere. The target runs on the serial collector, whose old
 * generation counts the objects it holds and not G1's promotion-buffer waste (see LeakIT). Bounded: two hunts of
 * four 25 s segments on 127.0.0.1, run side by side (each at 200 requests/s: light on CPU, and what is measured is
 * retained memory, which sharing the cores does not change), so the class takes two minutes, not four.
 */
class HuntIT {
    private static JsonNode leaking;
    private static JsonNode clean;

    @BeforeAll
    static void huntBoth() throws Exception {
        java.util.concurrent.CompletableFuture<JsonNode> withKnob = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> huntUnchecked("--leak", "2KB", "--leak-route", "POST /api/v1/media"));
        clean = hunt();
        leaking = withKnob.get(400, TimeUnit.SECONDS);
    }

    private static JsonNode huntUnchecked(String... knobs) {
        try {
            return hunt(knobs);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode hunt(String... knobs) throws Exception {
        try (Packaged.Target target = Packaged.startTarget(List.of("-Xmn8m", "-XX:+UseSerialGC"), knobs)) {
            Path dir = Files.createTempDirectory("hunt-it");
            Path scenario = dir.resolve("hunt.yaml");
            Files.writeString(scenario, "name: hunt-it\ntarget: http://127.0.0.1:" + target.port() + "\n"
                    + "phases: [{duration: 30s, rate: 200/s}]\n"
                    + "requests:\n"
                    + "  - {name: list-media, path: /api/v1/media}\n"
                    + "  - {name: get-media, path: /api/v1/media/7}\n"
                    + "  - {name: create-media, method: POST, path: /api/v1/media, body: {title: t, type: video}}\n"
                    + "  - {name: health, path: /health}\n"
                    + "memory:\n  interval: 500ms\n  leakThreshold: 50MB/h\n  sources:\n"
                    + "    - {name: heap-after-gc, type: prometheus, metric: jvm_gc_live_data_size_bytes}\n");
            List<String> args = new ArrayList<>(List.of("hunt", scenario.toString(), "--segment", "25s", "--warmup", "2s",
                    "--settle", "1s", "--out", dir.resolve("out").toString(), "--quiet"));
            Process run = Packaged.process(args.toArray(new String[0])).redirectErrorStream(true)
                    .start();
            String output = new String(run.getInputStream().readAllBytes());
            assertTrue(run.waitFor(300, TimeUnit.SECONDS), output);
            System.out.println(output);
            JsonNode r = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile());
            assertTrue(Files.size(dir.resolve("out/report.html")) > 500 && Files.size(dir.resolve("out/summary.md")) > 100);
            assertEquals(4, r.path("ranking").size(), r.toString());
            return r;
        }
    }

    @Test
    void namesTheOneRequestThatLeaksAtItsBytesPerRequest() throws Exception {
        JsonNode r = leaking;
        JsonNode first = r.path("ranking").get(0);
        assertEquals("create-media", first.path("request").asText(), r.toString());
        assertEquals("LEAK", first.path("verdict").asText(), first.toString());
        assertEquals(2048, first.path("retained").path("bytes").asDouble(), 0.15 * 2048, first.toString());
        for (int i = 1; i < 4; i++) {
            assertNotEquals("LEAK", r.path("ranking").get(i).path("verdict").asText(), r.toString());
        }
        assertTrue(r.path("conclusion").asText().startsWith("create-media retains "), r.path("conclusion").asText());
    }

    @Test
    void withoutTheKnobNoRequestLeaks() throws Exception {
        JsonNode r = clean;
        for (JsonNode s : r.path("ranking")) {
            assertNotEquals("LEAK", s.path("verdict").asText(), r.toString());
        }
    }
}
