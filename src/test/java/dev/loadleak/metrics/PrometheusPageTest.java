package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One scrape a round for several series of a page (a Node.js target's heap total and its heap
 * spaces), against a real HTTP server on 127.0.0.1; a failed scrape is a gap for every series of
 * the round, with the scrape's own reason.
 */
class PrometheusPageTest {
    private static final String PAGE = """
            # HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.
            # TYPE nodejs_heap_size_used_bytes gauge
            nodejs_heap_size_used_bytes 52428800
            nodejs_heap_space_size_used_bytes{space="new_space"} 4194304
            nodejs_heap_space_size_used_bytes{space="old_space"} 41943040
            nodejs_heap_space_size_used_bytes{space="code_space"} 2097152
            """;

    @Test
    void theCachedSeriesReadThePageTheFetchingOneScraped() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", ex -> {
            fetches.incrementAndGet();
            byte[] b = PAGE.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
            PrometheusPage page = new PrometheusPage(new HttpScraper(Duration.ofSeconds(2)), uri, null);
            MemoryProbe heap = page.fetching("nodejs_heap_size_used_bytes", Map.of());
            MemoryProbe old = page.cached("nodejs_heap_space_size_used_bytes", Map.of("space", "old_space"));
            MemoryProbe code = page.cached("nodejs_heap_space_size_used_bytes", Map.of("space", "code_space"));
            MemoryProbe map = page.cached("nodejs_heap_space_size_used_bytes", Map.of("space", "map_space"));

            MemoryProbe.ProbeException before = assertThrows(MemoryProbe.ProbeException.class, old::sample);
            assertEquals("the page was not fetched yet", before.getMessage());
            assertEquals(50 * 1048576.0, heap.sample());
            assertEquals(40 * 1048576.0, old.sample());
            assertEquals(2 * 1048576.0, code.sample());
            assertTrue(assertThrows(MemoryProbe.ProbeException.class, map::sample).getMessage()
                    .startsWith("no series nodejs_heap_space_size_used_bytes{space=map_space}"));
            assertEquals(1, fetches.get(), "one scrape for the round's four series");

            status.set(503);
            MemoryProbe.ProbeException failed = assertThrows(MemoryProbe.ProbeException.class, heap::sample);
            assertEquals(failed.getMessage(), assertThrows(MemoryProbe.ProbeException.class, old::sample).getMessage());
            assertTrue(failed.getMessage().startsWith("HTTP 503"), failed.getMessage());
            assertEquals(2, fetches.get());
        } finally {
            server.stop(0);
        }
    }
}
