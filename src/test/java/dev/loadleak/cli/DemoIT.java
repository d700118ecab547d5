package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The first command a newcomer runs, on the packaged application (and the native executable when
 * it is built): the demo's target runs as a process of its own and leaks on one route; the demo
 * finds the leak and ends CONDITIONAL GO (exit 0); {@code --no-leak} ends GO. Bounded: two runs of
 * 25 s on 127.0.0.1 (the leak analysis needs 20 s after the warm-up).
 */
class DemoIT {
    private static String[] demo(Path out, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("demo", "--duration", "25s", "--out", out.toString()));
        args.addAll(List.of(extra));
        Process p = Packaged.process(args.toArray(new String[0])).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), output);
        System.out.println(output);
        return new String[] {output, Integer.toString(p.exitValue())};
    }

    @Test
    void theDemoFindsTheLeakOfOneEndpointAndEndsConditionalGo() throws Exception {
        Path out = Files.createTempDirectory("demo-it");
        String[] r = demo(out);
        assertEquals("0", r[1], r[0]);
        assertTrue(r[0].contains("(its own process, -Xmx96m -Xmn8m; it retains 10KB per POST /api/v1/media request)"), r[0]);
        assertTrue(r[0].contains("    LEAK: floor grew "), r[0]);
        assertTrue(r[0].contains("verdict: CONDITIONAL GO"), r[0]);
        JsonNode m = new ObjectMapper().readTree(out.resolve("result.json").toFile()).path("memory").get(0);
        // 10 KB per create-media request, one request in ten: about 1 KB per request overall
        double perRequest = m.path("retained").path("bytes").asDouble();
        assertEquals(1024, perRequest, 0.25 * 1024, m.toString());
        assertTrue(Files.exists(out.resolve("demo-target.log")));
    }

    @Test
    void withoutTheLeakTheDemoEndsGo() throws Exception {
        Path out = Files.createTempDirectory("demo-it");
        String[] r = demo(out, "--no-leak");
        assertEquals("0", r[1], r[0]);
        assertTrue(r[0].contains("verdict: GO"), r[0]);
        assertTrue(r[0].contains("    NO_LEAK: floor "), r[0]);
    }
}
