package dev.loadleak.engine.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.scenario.Flow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each extraction source, found and not found. */
class ExtractorTest {
    private static final List<String> HEADERS = List.of("Content-Type", "application/json", "Location", "/media/42",
            "Set-Cookie", "csrf=abc123; Path=/; HttpOnly", "Set-Cookie", "sid=s-9; Path=/");
    private static final String BODY = "{\"data\":{\"token\":\"t-1\",\"n\":7,\"ok\":true,\"list\":[{\"id\":\"x\"}]},"
            + "\"html\":\"<input name=csrf value=h-55>\"}";

    private static Flow.Extraction x(String name, Flow.Source source, String expr, int slot) {
        return new Flow.Extraction(name, source, expr, true, slot);
    }

    private static Map<String, String> run(String expectFailure, Flow.Extraction... xs) {
        Map<String, String> got = new LinkedHashMap<>();
        String why = new Extractor(List.of(xs)).extract(201, HEADERS, BODY, (e, v) -> got.put(e.variable(), v));
        assertEquals(expectFailure, why);
        return got;
    }

    @Test
    void everySource() {
        Map<String, String> got = run(null,
                x("token", Flow.Source.JSON, "/data/token", 0),
                x("n", Flow.Source.JSON, "/data/n", 1),
                x("ok", Flow.Source.JSON, "/data/ok", 2),
                x("first", Flow.Source.JSON, "/data/list/0", 3),
                x("loc", Flow.Source.HEADER, "location", 4),
                x("h", Flow.Source.REGEX, "value=([a-z0-9-]+)", 5),
                x("sid", Flow.Source.COOKIE, "sid", 6),
                x("status", Flow.Source.STATUS, "", 7));
        assertEquals(Map.of("token", "t-1", "n", "7", "ok", "true", "first", "{\"id\":\"x\"}", "loc", "/media/42",
                "h", "h-55", "sid", "s-9", "status", "201"), got);
    }

    @Test
    void whatIsNotFoundIsNamedWithoutAnyValue() {
        run("extract a: JSON pointer /data/missing found nothing", x("a", Flow.Source.JSON, "/data/missing", 0));
        run("extract b: header X-Nope found nothing", x("b", Flow.Source.HEADER, "X-Nope", 0));
        run("extract c: regex id=(\\d+) found nothing", x("c", Flow.Source.REGEX, "id=(\\d+)", 0));
        run("extract d: cookie nope found nothing", x("d", Flow.Source.COOKIE, "nope", 0));
        String why = new Extractor(List.of(x("e", Flow.Source.JSON, "/a", 0))).extract(200, null, "not json <html>",
                (e, v) -> { });
        assertEquals("extract e: the body is not JSON", why);
    }

    @Test
    void valuesFoundBeforeAFailureAreKeptAndTheNeedsAreKnown() {
        Map<String, String> got = run("extract b: header X-Nope found nothing",
                x("a", Flow.Source.JSON, "/data/token", 0), x("b", Flow.Source.HEADER, "X-Nope", 1));
        assertEquals(Map.of("a", "t-1"), got);
        Extractor e = new Extractor(List.of(x("a", Flow.Source.STATUS, "", 0)));
        assertFalse(e.needsBody());
        assertFalse(e.needsHeaders());
        assertTrue(new Extractor(List.of(x("a", Flow.Source.COOKIE, "sid", 0))).needsHeaders());
        assertTrue(new Extractor(List.of(x("a", Flow.Source.REGEX, "(x)", 0))).needsBody());
        assertNull(Extractor.header(null, "x"));
    }
}
