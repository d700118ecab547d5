package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loadleak.result.HeapSpaces;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Node.js source brings its V8 heap spaces along, read from its own scrape; other sources do not. */
class MemoryWiringTest {
    private static List<String> sources(String memory) throws Exception {
        String yaml = "name: w\ntarget: http://127.0.0.1:9\nphases: [{duration: 5s, rate: 1/s}]\nrequests: [{path: /}]\n"
                + "memory:\n  sources:\n" + memory;
        try (MemoryWiring w = MemoryWiring.of(ScenarioLoader.parse("w.yaml", yaml), Files.createTempDirectory("wiring"))) {
            return w.sources.stream().map(s -> s.name() + ":" + s.kind()).toList();
        }
    }

    @Test
    void aNodeSourceAddsOneSeriesPerV8Space() throws Exception {
        List<String> names = sources("    - {name: heap, type: prometheus, metric: nodejs_heap_size_used_bytes}\n");
        assertEquals(1 + HeapSpaces.V8_SPACES.size(), names.size(), names.toString());
        assertEquals("heap:prometheus", names.get(0));
        assertEquals("heap/old_space:" + MemoryKind.HEAP_SPACE, names.get(1 + HeapSpaces.V8_SPACES.indexOf("old_space")));
    }

    @Test
    void targetMetricsAreReadFromTheFirstSourcesScrape() throws Exception {
        java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", ex -> {
            fetches.incrementAndGet();
            byte[] b = "heap_bytes 1048576\nlag 0.02\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            String yaml = "name: w\ntarget: http://127.0.0.1:" + server.getAddress().getPort() + "\n"
                    + "phases: [{duration: 5s, rate: 1/s}]\nrequests: [{path: /}]\n"
                    + "memory:\n  sources:\n    - {name: heap, type: prometheus, url: /metrics, metric: heap_bytes}\n"
                    + "criteria:\n  target: [target.lag max < 0.05]\n";
            try (MemoryWiring w = MemoryWiring.of(ScenarioLoader.parse("w.yaml", yaml), Files.createTempDirectory("wiring"))) {
                assertEquals(List.of("heap:prometheus", "lag:" + MemoryKind.TARGET_METRIC),
                        w.sources.stream().map(s -> s.name() + ":" + s.kind()).toList());
                assertEquals(1048576.0, w.sources.get(0).probe().sample());
                assertEquals(0.02, w.sources.get(1).probe().sample());
                assertEquals(1, fetches.get(), "one scrape for the memory source and the target metric");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aJvmSourceDoesNot() throws Exception {
        assertEquals(List.of("heap:prometheus"),
                sources("    - {name: heap, type: prometheus, metric: jvm_gc_live_data_size_bytes}\n"));
    }
}
