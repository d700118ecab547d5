package dev.loadleak.demoserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The built-in target over real HTTP on 127.0.0.1, each knob switched on in turn. */
@QuarkusTest
class TargetResourceTest {
    @TestHTTPResource("/")
    URI base;
    @Inject
    TargetState state;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void reset() {
        state.configure(TargetKnobs.NONE);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void mediaApi() throws Exception {
        HttpResponse<String> list = get("/api/v1/media?page=2&limit=3");
        assertEquals(200, list.statusCode());
        assertTrue(list.body().contains("\"items\":[{\"id\":4,"), list.body());
        assertTrue(list.body().contains("\"total\":500"), list.body());
        assertEquals(400, get("/api/v1/media?limit=1000").statusCode());
        HttpResponse<String> one = get("/api/v1/media/500");
        assertEquals(200, one.statusCode());
        assertTrue(one.body().startsWith("{\"id\":500,"), one.body());
        HttpResponse<String> missing = get("/api/v1/media/501");
        assertEquals(404, missing.statusCode());
        assertEquals("{\"error\":\"no media with id 501\"}", missing.body());
        assertEquals(404, get("/api/v1/media/0").statusCode());
        assertEquals(404, get("/api/v1/media/abc").statusCode());
        HttpResponse<String> created = post("/api/v1/media", new byte[1000]);
        assertEquals(201, created.statusCode());
        assertTrue(created.body().contains("\"bytes\":1000"), created.body());
        // over the 10 MB limit: 413, or the server closes the connection before the upload ends
        try {
            assertEquals(413, post("/api/v1/media", new byte[11 * 1024 * 1024]).statusCode());
        } catch (java.io.IOException refusedMidUpload) {
            assertTrue(refusedMidUpload.getMessage() != null);
        }
    }

    @Test
    void healthEndpoints() throws Exception {
        HttpResponse<String> h = get("/health");
        assertEquals(200, h.statusCode());
        assertTrue(h.body().contains("\"status\":\"ok\""), h.body());
        assertEquals(200, get("/q/health/live").statusCode());
        HttpResponse<String> ready = get("/q/health/ready");
        assertEquals(200, ready.statusCode());
        assertTrue(ready.body().contains("\"status\": \"UP\""), ready.body());
    }

    @Test
    void metricsInPrometheusFormatWithRequestCounts() throws Exception {
        get("/api/v1/media/1");
        get("/api/v1/media/7");
        get("/api/v1/media/9999");
        HttpResponse<String> m = get("/metrics");
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        String body = m.body();
        assertTrue(value(body, "process_resident_memory_bytes") > 10_000_000, body);
        assertTrue(value(body, "jvm_memory_used_bytes\\{area=\"heap\"\\}") > 0, body);
        assertTrue(value(body, "jvm_gc_live_data_size_bytes") >= 0, body);
        assertTrue(value(body, "http_server_requests_total\\{route=\"/api/v1/media/\\{id\\}\",method=\"GET\",status=\"200\"\\}") >= 2, body);
        assertTrue(value(body, "http_server_requests_total\\{route=\"/api/v1/media/\\{id\\}\",method=\"GET\",status=\"404\"\\}") >= 1, body);
        for (String line : body.split("\n")) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.matches("[a-z_]+(\\{.*\\})? -?\\d+"), line);
        }
    }

    @Test
    void errorRateKnobFailsThatFraction() throws Exception {
        state.configure(new TargetKnobs(0, 0, 0.1, 0, 0, 0, 500));
        int failures = 0;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> r = get("/api/v1/media/1");
            if (r.statusCode() == 500) {
                failures++;
                assertTrue(r.body().contains("injected failure"));
            }
        }
        assertEquals(10, failures);
        assertEquals(200, get("/health").statusCode(), "health is not an API route: never fails");
    }

    @Test
    void latencyKnobDelaysApiResponses() throws Exception {
        state.configure(new TargetKnobs(40_000_000L, 10_000_000L, 0, 0, 0, 0, 500));
        get("/api/v1/media/1");
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            assertEquals(200, get("/api/v1/media/1").statusCode());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 29 && ms < 2000, "took " + ms + " ms with latency 40ms±10ms");
        }
    }

    @Test
    void stallKnobHoldsResponsesThenAnswersThem() throws Exception {
        // a 700 ms stall at the end of every 1 s: of 10 requests 100 ms apart, some wait, all complete
        state.configure(new TargetKnobs(0, 0, 0, 0, 700_000_000L, 1_000_000_000L, 500));
        long slow = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_500_000_000L) {
            long t0 = System.nanoTime();
            assertEquals(200, get("/api/v1/media/2").statusCode());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1500, "a stall never holds longer than itself: " + ms);
            if (ms >= 100) {
                slow++;
            }
        }
        assertTrue(slow >= 1, "at least one request waited for the stall to end");
    }

    @Test
    void leakKnobRaisesThePostGcHeap() throws Exception {
        System.gc();
        long before = OwnMemory.heapAfterGcBytes();
        long leakedBefore = state.leak().retainedBytes();
        state.configure(new TargetKnobs(0, 0, 0, 64 * 1024, 0, 0, 500));
        for (int i = 0; i < 400; i++) {
            assertEquals(200, get("/api/v1/media/3").statusCode());
        }
        System.gc();
        long after = OwnMemory.heapAfterGcBytes();
        assertEquals(400 * 64 * 1024L, state.leak().retainedBytes() - leakedBefore);
        assertTrue(after - before > 20 * 1024 * 1024, "post-GC heap grew " + (after - before) / 1024 + " KB for 25 MB leaked");
        HttpResponse<String> m = get("/metrics");
        assertTrue(value(m.body(), "loadleak_target_leaked_bytes") >= 400 * 64 * 1024L);
    }

    private static long value(String metrics, String nameRegex) {
        Matcher m = Pattern.compile("(?m)^" + nameRegex + " (-?\\d+)$").matcher(metrics);
        assertTrue(m.find(), nameRegex + " not in\n" + metrics);
        return Long.parseLong(m.group(1));
    }
}
