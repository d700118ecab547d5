package dev.loadleak.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a page could forge, request by request: the Host it names, its Origin, the type of what it posts. */
class ForgeryChecksTest {
    private static final Set<String> NAMES = Set.of("loadleak.ci.example.com");

    private static Integer status(String method, String host, String origin, String type, String client) {
        ForgeryChecks.Refusal r = ForgeryChecks.check(method, host, origin, type, client, NAMES);
        return r == null ? null : r.status();
    }

    @Test
    void aRebindingNameIsMisdirected() {
        assertEquals(421, status("GET", "evil.example:18090", null, null, null));
        assertEquals(421, status("GET", "EVIL.example.:18090", null, null, null));
        assertEquals(421, status("GET", "127.0.0.1.evil.example", null, null, null));
        assertNull(status("GET", "127.0.0.1:18090", null, null, null));
        assertNull(status("GET", "localhost:18090", null, null, null));
        assertNull(status("GET", "[::1]:18090", null, null, null));
        assertNull(status("GET", "Loadleak.CI.example.com", null, null, null), "a --public-name, any case");
        assertNull(status("GET", null, null, null, null), "HTTP/1.0 without Host: no page sends that");
    }

    @Test
    void aForeignOriginIsForbiddenEvenWithTheRightType() {
        assertEquals(403, status("POST", "127.0.0.1:18090", "http://evil.example", "application/yaml", null));
        assertEquals(403, status("POST", "127.0.0.1:18090", "null", "application/yaml", null), "a sandboxed page");
        assertEquals(403, status("DELETE", "127.0.0.1:18090", "http://127.0.0.1:18091", null, null), "another port");
        assertEquals(403, status("GET", "127.0.0.1:18090", "http://evil.example", null, null));
        assertNull(status("POST", "127.0.0.1:18090", "http://127.0.0.1:18090", "application/yaml", null), "the dashboard");
        assertNull(status("POST", "loadleak.ci.example.com", "https://loadleak.ci.example.com", "application/json", null),
                "behind a TLS ingress on the default port");
    }

    @Test
    void aSimpleTypeIsWhatAPageCanSendWithoutAsking() {
        for (String simple : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", null}) {
            assertEquals(415, status("POST", "127.0.0.1:18090", null, simple, null), String.valueOf(simple));
        }
        for (String ok : new String[] {"application/yaml", "Application/X-YAML; charset=utf-8", "text/yaml",
            "application/json"}) {
            assertNull(status("POST", "127.0.0.1:18090", null, ok, null), ok);
        }
        assertNull(status("POST", "127.0.0.1:18090", null, "text/plain", "curl"), "the client header forces a preflight");
        assertNull(status("DELETE", "127.0.0.1:18090", null, null, null), "DELETE always needs a preflight");
    }
}
