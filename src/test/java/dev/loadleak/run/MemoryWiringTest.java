package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loadleak.analysis.HeapSpaces;
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
        assertEquals("heap/old_space:" + HeapSpaces.KIND, names.get(1 + HeapSpaces.V8_SPACES.indexOf("old_space")));
    }

    @Test
    void aJvmSourceDoesNot() throws Exception {
        assertEquals(List.of("heap:prometheus"),
                sources("    - {name: heap, type: prometheus, metric: jvm_gc_live_data_size_bytes}\n"));
    }
}
