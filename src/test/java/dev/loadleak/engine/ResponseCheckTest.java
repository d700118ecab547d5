package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.loadleak.result.ErrorKind;
import dev.loadleak.scenario.RequestSpec;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResponseCheckTest {
    @Test
    void statuses() {
        assertNull(ResponseCheck.status(null, 200));
        assertNull(ResponseCheck.status(null, 302));
        assertEquals(ErrorKind.STATUS_4XX, ResponseCheck.status(null, 404));
        RequestSpec.Expect created = new RequestSpec.Expect(Set.of(201), null, Map.of());
        assertEquals(ErrorKind.ASSERTION, ResponseCheck.status(created, 200));
        assertEquals(ErrorKind.STATUS_5XX, ResponseCheck.status(created, 503));
        RequestSpec.Expect notFound = new RequestSpec.Expect(Set.of(404), null, Map.of());
        assertNull(ResponseCheck.status(notFound, 404));
    }

    @Test
    void bodies() {
        RequestSpec.Expect e = new RequestSpec.Expect(null, "\"ok\"", Map.of("/items/0/id", "4", "/total", "500"));
        assertNull(ResponseCheck.body(e, "{\"status\":\"ok\",\"total\":500,\"items\":[{\"id\":4}]}"));
        assertEquals("body does not contain \"\"ok\"\"", ResponseCheck.body(e, "{}"));
        assertEquals("JSON /items/0/id is 5, expected 4",
                ResponseCheck.body(e, "{\"s\":\"ok\",\"total\":500,\"items\":[{\"id\":5}]}"));
        assertEquals("JSON has nothing at /total", ResponseCheck.body(e, "{\"s\":\"ok\",\"items\":[{\"id\":4}]}"));
        assertEquals("body is not JSON", ResponseCheck.body(new RequestSpec.Expect(null, null, Map.of("/a", "1")), "<html>"));
    }
}
