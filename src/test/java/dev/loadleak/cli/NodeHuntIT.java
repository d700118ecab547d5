package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code hunt} on the packaged application against the real Node service (Express + express-session
 * with its MemoryStore + prom-client, src/test/node/session-service), which each segment launches on
 * 127.0.0.1: {@code /api/search} allocates and drops, {@code /api/cart} keeps a session per visit.
 * Judged by /proc RSS, 60 s a segment (the default) at 600 requests/s: hunt must name the cart route as the leak,
 * ranked first, and must not call the search route a leak. Bounded: two segments, about 140 s.
 */
class NodeHuntIT {
    private static final Path SERVICE = Path.of("src/test/node/session-service").toAbsolutePath();

    @Test
    void huntNamesTheRouteThatKeepsASessionPerVisit() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SERVICE.resolve("node_modules/express-session")),
                "npm ci has not been run in " + SERVICE + " (.ci/run does it)");
        Assumptions.assumeTrue(new ProcessBuilder("node", "--version").start().waitFor() == 0, "no node on PATH");
        int port = 18463;
        Path dir = Files.createTempDirectory("node-hunt-it");
        Path scenario = dir.resolve("hunt.yaml");
        Files.writeString(scenario, "name: node-hunt\ntarget: http://127.0.0.1:" + port + "\n"
                + "phases: [{duration: 60s, rate: 600/s}]\n"
                + "requests:\n  - {name: search, path: /api/search}\n  - {name: cart, path: /api/cart}\n"
                + "memory:\n  interval: 1s\n  sources:\n"
                + "    - name: rss\n      type: process\n      launch: \"env PORT=" + port + " SESSION_STORE=1 node "
                + SERVICE.resolve("server.js") + "\"\n      health: http://127.0.0.1:" + port + "/health\n");
        Process p = Packaged.process(List.of(), "hunt", scenario.toString(), "--segment", "60s", "--warmup", "5s",
                "--settle", "2s", "--rate", "600/s", "--out", dir.resolve("out").toString(), "--quiet")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), output);
        System.out.println(output);
        JsonNode r = new ObjectMapper().readTree(dir.resolve("out/result.json").toFile());
        JsonNode first = r.path("ranking").get(0);
        assertEquals("cart", first.path("request").asText(), r.toString());
        assertEquals("LEAK", first.path("verdict").asText(), first.toString());
        assertNotEquals("LEAK", r.path("ranking").get(1).path("verdict").asText(), r.toString());
        assertTrue(r.path("conclusion").asText().startsWith("cart "), r.path("conclusion").asText());
    }
}
