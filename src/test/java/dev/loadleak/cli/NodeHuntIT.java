package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private record Hunted(String output, JsonNode result) {
    }

    /**
     * Hunts search and cart on the session service (launched by each segment on {@code port}, its
     * store on), {@code segment} each at {@code rate}, with {@code inspect} (an inspector port) or
     * RSS alone (0); {@code extraSource} adds a memory source line.
     */
    private static Hunted hunt(int port, int inspect, String segment, String rate, String extraSource) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(SERVICE.resolve("node_modules/express-session")),
                "npm ci has not been run in " + SERVICE + " (.ci/run does it)");
        Assumptions.assumeTrue(new ProcessBuilder("node", "--version").start().waitFor() == 0, "no node on PATH");
        Path dir = Files.createTempDirectory("node-hunt-it");
        Path scenario = dir.resolve("hunt.yaml");
        Files.writeString(scenario, "name: node-hunt\ntarget: http://127.0.0.1:" + port + "\n"
                + "phases: [{duration: " + segment + ", rate: " + rate + "}]\n"
                + "requests:\n  - {name: search, path: /api/search}\n  - {name: cart, path: /api/cart}\n"
                + "memory:\n  interval: 1s\n  sources:\n"
                + "    - name: rss\n      type: process\n      launch: \"env PORT=" + port + " SESSION_STORE=1 node "
                + (inspect > 0 ? "--inspect=127.0.0.1:" + inspect + " " : "") + SERVICE.resolve("server.js") + "\"\n"
                + "      health: http://127.0.0.1:" + port + "/health\n" + extraSource);
        Process p = Packaged.process(List.of(), "hunt", scenario.toString(), "--segment", segment, "--warmup", "5s",
                "--settle", "2s", "--rate", rate, "--out", dir.resolve("out").toString(), "--quiet")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), output);
        System.out.println(output);
        return new Hunted(output, new ObjectMapper().readTree(dir.resolve("out/result.json").toFile()));
    }

    @Test
    void huntNamesTheRouteThatKeepsASessionPerVisit() throws Exception {
        JsonNode r = hunt(18463, 0, "60s", "600/s", "").result();
        JsonNode first = r.path("ranking").get(0);
        assertEquals("cart", first.path("request").asText(), r.toString());
        assertEquals("LEAK", first.path("verdict").asText(), first.toString());
        assertNotEquals("LEAK", r.path("ranking").get(1).path("verdict").asText(), r.toString());
        assertTrue(r.path("conclusion").asText().startsWith("cart "), r.path("conclusion").asText());
    }

    /**
     * The same hunt in exact mode: the service started with {@code --inspect}, a {@code type: node} source
     * with {@code forceGc} and {@code evidence: heapSnapshot}, 2 × 30 s at 300 requests/s. Forced
     * collections at each segment's start and end decide without a sawtooth: the cart route is a LEAK
     * with its bytes per request (about 370-400 B of session each), and its heap snapshots name the
     * strings that grew. Bounded: two segments, about 80 s.
     */
    @Test
    void inExactModeTwoSegmentsOfThirtySecondsNameTheRouteAndWhatGrows() throws Exception {
        Hunted h = hunt(18464, 19464, "30s", "300/s", "    - {name: v8, type: node, inspect: \"127.0.0.1:19464\", "
                + "forceGc: true, evidence: heapSnapshot}\n");
        String output = h.output();
        JsonNode r = h.result();
        JsonNode first = r.path("ranking").get(0);
        assertEquals("cart", first.path("request").asText(), r.toString());
        assertEquals("LEAK", first.path("verdict").asText(), first.toString());
        assertTrue(first.path("exact").asBoolean(), first.toString());
        assertEquals("v8 (forced GC)", first.path("source").asText(), first.toString());
        double perRequest = first.path("retained").path("bytes").asDouble();
        assertTrue(perRequest > 200 && perRequest < 1000, "a session with its cart is a few hundred bytes: " + first);
        assertEquals("(string)", first.path("topGrowth").path("name").asText(), first.toString());
        JsonNode second = r.path("ranking").get(1);
        assertEquals("search", second.path("request").asText(), r.toString());
        assertNotEquals("LEAK", second.path("verdict").asText(), second.toString());
        assertTrue(second.path("retained").path("bytes").asDouble() < 60, "search keeps nothing per request: " + second);
        assertTrue(output.contains("cart: grew most: (string)"), output);
        assertTrue(r.path("conclusion").asText().startsWith("cart retains "), r.path("conclusion").asText());
        assertFalse(output.contains("sku"), "a session's text reached the output: " + output);
    }
}
