package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    static final String SAMPLE = """
            # HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.
            # TYPE nodejs_heap_size_used_bytes gauge
            nodejs_heap_size_used_bytes 23949552 1700000000000
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 3.0E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.5E7
            weird{path="C:\\\\temp\\"x\\"\\nline",b="}"} 42
            # a histogram
            http_request_duration_seconds_bucket{le="0.1"} 10
            http_request_duration_seconds_bucket{le="+Inf"} 12
            http_request_duration_seconds_sum 1.5
            http_request_duration_seconds_count 12
            rpc_duration_seconds{quantile="0.99"} NaN
            up_max +Inf
            down_min -Inf
            """;

    @Test
    void parsesTheFormat() {
        List<PrometheusText.Sample> s = PrometheusText.parse(SAMPLE);
        assertEquals(12, s.size());
        assertEquals(23949552.0, PrometheusText.select(s, "nodejs_heap_size_used_bytes", Map.of()));
        assertEquals(1700000000000L, s.get(0).timestampMillis());
        assertEquals(4.2E7, PrometheusText.select(s, "jvm_memory_used_bytes", Map.of("area", "heap")));
        assertEquals(9.7E7, PrometheusText.select(s, "jvm_memory_used_bytes", Map.of()));
        PrometheusText.Sample weird = s.get(4);
        assertEquals("C:\\temp\"x\"\nline", weird.labels().get("path"));
        assertEquals("}", weird.labels().get("b"));
        assertEquals(12.0, PrometheusText.select(s, "http_request_duration_seconds_bucket", Map.of("le", "+Inf")));
        assertTrue(Double.isNaN(PrometheusText.select(s, "rpc_duration_seconds", Map.of())));
        assertEquals(Double.POSITIVE_INFINITY, PrometheusText.select(s, "up_max", Map.of()));
        assertNull(PrometheusText.select(s, "missing", Map.of()));
        assertNull(PrometheusText.select(s, "jvm_memory_used_bytes", Map.of("area", "gpu")));
    }

    @Test
    void ourOwnTargetMetricsParse() {
        String own = "# HELP x y\n# TYPE x gauge\nprocess_resident_memory_bytes 117583872\n"
                + "http_server_requests_total{route=\"/api/v1/media/{id}\",method=\"GET\",status=\"200\"} 3\r\n";
        assertEquals(2, PrometheusText.parse(own).size());
    }

    @Test
    void garbageNamesItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PrometheusText.parse("ok 1\n<html>oops</html>\n"));
        assertTrue(e.getMessage().startsWith("line 2 is not Prometheus text format"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m{a=\"x} 1"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m{a=x} 1"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m 1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m abc"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m 1.0f"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m Infinit"));
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse("m"));
    }

    /** Prometheus reads values with Go's ParseFloat: NaN and infinities in any letter case. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"NaN, NaN", "Nan, NaN", "nan, NaN", "NAN, NaN", "+Inf, Infinity",
        "inf, Infinity", "INF, Infinity", "Infinity, Infinity", "+infinity, Infinity", "-Inf, -Infinity",
        "-inf, -Infinity", "-INFINITY, -Infinity", "1e3, 1000", "-0.5, -0.5"})
    void valuesAsPrometheusReadsThem(String text, double expected) {
        assertEquals(expected, PrometheusText.parse("m " + text).get(0).value());
    }

    /** A page prom-client 15.1 served (captured from src/test/node/session-service), with its "Nan" lines. */
    @Test
    void aRealPromClientPageWithNan() throws Exception {
        String page;
        try (java.io.InputStream in = getClass().getResourceAsStream("/prometheus/prom-client-15-nan.txt")) {
            page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(page.contains("nodejs_eventloop_lag_mean_seconds Nan"));
        List<PrometheusText.Sample> samples = PrometheusText.parse(page);
        assertTrue(Double.isNaN(PrometheusText.select(samples, "nodejs_eventloop_lag_mean_seconds", Map.of())));
        assertTrue(PrometheusText.select(samples, "nodejs_heap_size_used_bytes", Map.of()) > 1e6);
    }

    /** One malformed line voids its own series, not the page. */
    @Test
    void aMalformedLineIsListedNotThrown() {
        PrometheusText.Page p = PrometheusText.parsePage("# HELP x\nheap 100\nlag{a=\"1\"} ???\nother 2\n");
        assertEquals(2, p.samples().size());
        assertEquals(1, p.malformed().size());
        PrometheusText.Malformed m = p.malformed().get(0);
        assertEquals(3, m.line());
        assertEquals("lag", m.name());
        assertTrue(m.describe().startsWith("line 3 is not Prometheus text format: \"???\" is not a value"), m.describe());
        assertEquals(List.of(m), p.malformedIn("lag"));
        assertEquals(List.of(), p.malformedIn("heap"));
    }
}
