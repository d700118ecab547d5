package dev.loadleak.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loadleak.cli.Cli;
import dev.loadleak.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code import har} on a recording of the shape DevTools exports: what is left out (other hosts,
 * static assets, CORS preflights), what is correlated (an HTML hidden input, an answer header, a
 * short id in a path), what comes from the environment, and that no recorded secret is written.
 */
class HarImportTest {
    private static final String APP = "http://127.0.0.1:9090";
    @TempDir
    Path tmp;

    private static ObjectNode entry(ArrayNode entries, String method, String url, int ms, String reqBody,
                                    List<String[]> reqHeaders, int status, String type, String body,
                                    List<String[]> resHeaders) {
        ObjectNode e = entries.addObject();
        e.put("startedDateTime", "2026-12-04T01:00:0" + (ms / 1000) + "." + String.format("%03d", ms % 1000) + "Z");
        e.put("time", 20);
        ObjectNode req = e.putObject("request").put("method", method).put("url", url);
        ArrayNode h = req.putArray("headers");
        reqHeaders.forEach(x -> h.addObject().put("name", x[0]).put("value", x[1]));
        if (reqBody != null) {
            req.putObject("postData").put("mimeType", reqBody.startsWith("{") ? "application/json"
                    : "application/x-www-form-urlencoded").put("text", reqBody);
        }
        ObjectNode res = e.putObject("response").put("status", status);
        ArrayNode rh = res.putArray("headers");
        resHeaders.forEach(x -> rh.addObject().put("name", x[0]).put("value", x[1]));
        res.putObject("content").put("mimeType", type).put("text", body);
        return e;
    }

    static JsonNode recording() {
        ObjectNode har = JsonNodeFactory.instance.objectNode();
        ArrayNode es = har.putObject("log").putArray("entries");
        entry(es, "GET", APP + "/login", 0, null, List.<String[]>of(new String[] {"Cookie", "sid=old-session-cookie"}), 200,
                "text/html", "<form><input type=\"hidden\" name=\"_csrf\" value=\"hid-den-csrf-42\"></form>",
                List.<String[]>of(new String[] {"Set-Cookie", "XSRF-TOKEN=xsrf-cookie-value-9; Path=/; SameSite=Lax"}));
        entry(es, "GET", APP + "/static/app.js", 30, null, List.of(), 200, "application/javascript", "x()", List.of());
        entry(es, "GET", "https://fonts.example.org/inter.woff2", 40, null, List.of(), 200, "font/woff2", "", List.of());
        entry(es, "GET", "https://analytics.example.org/collect", 50, null, List.of(), 204, "", "", List.of());
        entry(es, "POST", APP + "/session", 900, "_csrf=hid-den-csrf-42&user=ann&password=hunter2-recorded",
                List.<String[]>of(new String[] {"Content-Type", "application/x-www-form-urlencoded"},
                        new String[] {"Origin", APP}), 303, "", "",
                List.<String[]>of(new String[] {"X-Api-Token", "ans-wer-hea-der-token"}, new String[] {"Location", "/orders"}));
        entry(es, "OPTIONS", APP + "/api/orders", 950, null, List.of(), 204, "", "", List.of());
        entry(es, "POST", APP + "/api/orders", 1000, "{\"item\":\"book\",\"qty\":2}",
                List.<String[]>of(new String[] {"X-Api-Token", "ans-wer-hea-der-token"},
                        new String[] {"Authorization", "Basic cmVjb3JkZWQ6c2VjcmV0"},
                        new String[] {"X-XSRF-TOKEN", "xsrf-cookie-value-9"}), 201, "application/json",
                "{\"order\":{\"id\":7,\"ref\":\"ORD-2026-0001\"}}", List.of());
        entry(es, "GET", APP + "/api/orders/7?ref=ORD-2026-0001", 1100, null,
                List.<String[]>of(new String[] {"X-Api-Token", "ans-wer-hea-der-token"}), 200, "application/json", "{}", List.of());
        return har;
    }

    @Test
    void leavesOutWhatABrowserAddsAndCorrelatesHiddenInputsHeadersAndIds() throws Exception {
        HarImport.Result r = HarImport.convert(recording(), "orders", null, false);
        String y = r.yaml();
        System.out.println(y);
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(y);
        assertEquals(APP, doc.path("target").asText(), "the most frequent host");
        JsonNode steps = doc.path("flows").get(0).path("steps");
        assertEquals(4, steps.size(), y);
        assertEquals("get-login", steps.get(0).path("name").asText());
        assertTrue(steps.get(0).path("extract").path("_csrf").path("regex").asText().contains("_csrf"), y);
        assertEquals("880ms", steps.get(0).path("think").asText(), "the gap to the next kept request, less the answer's 20 ms");
        assertEquals("_csrf=${_csrf}&user=ann&password=${env:HAR_PASSWORD}", steps.get(1).path("body").asText(), y);
        assertEquals("X-Api-Token", steps.get(1).path("extract").path("X_Api_Token").path("header").asText(), y);
        JsonNode order = steps.get(2);
        assertEquals("${X_Api_Token}", order.path("headers").path("X-Api-Token").asText(), y);
        assertEquals("Basic ${env:HAR_AUTHORIZATION}", order.path("headers").path("Authorization").asText(), y);
        // a cookie the page copied into a header (double-submit CSRF): extracted from the answer that set it
        assertEquals("${XSRF_TOKEN}", order.path("headers").path("X-XSRF-TOKEN").asText(), y);
        assertEquals("XSRF-TOKEN", steps.get(0).path("extract").path("XSRF_TOKEN").path("cookie").asText(), y);
        assertEquals(2, order.path("body").path("qty").asInt());
        assertEquals("/api/orders/${id}?ref=${ref}", steps.get(3).path("path").asText(), y);
        assertEquals("/order/id", order.path("extract").path("id").path("json").asText(), y);
        assertTrue(r.skipped().contains("1 request to https://fonts.example.org (another host)"), r.skipped().toString());
        assertTrue(r.skipped().stream().anyMatch(s -> s.startsWith("OPTIONS /api/orders")), r.skipped().toString());
        assertTrue(r.skipped().contains("1 static asset (scripts, styles, images, fonts; --keep-static keeps them)"));
        assertEquals(java.util.Set.of("HAR_PASSWORD", "HAR_AUTHORIZATION"), r.env());
        for (String secret : List.of("xsrf-cookie-value-9", "hunter2-recorded", "old-session-cookie", "ans-wer-hea-der-token", "hid-den-csrf-42", "cmVjb3JkZWQ6c2VjcmV0",
                "ORD-2026-0001")) {
            assertFalse(y.contains(secret), "a recorded value was written: " + secret);
        }
        ScenarioLoader.parse("orders.yaml", y, new ScenarioLoader.Options(Map.of("HAR_AUTHORIZATION", "x", "HAR_PASSWORD", "y")::get,
                List.of(), false), tmp);
    }

    @Test
    void keepStaticKeepsScriptsAndAGivenHostIsTheTarget() {
        String y = HarImport.convert(recording(), "orders", APP, true).yaml();
        assertTrue(y.contains("app.js"), "--keep-static keeps the script");
    }

    @Test
    void notARecordingIsExitTwoWithTheReason() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> HarImport.convert(JsonNodeFactory.instance.objectNode(),
                "x", null, false));
        Path bad = tmp.resolve("bad.har");
        Files.writeString(bad, "{\"log\": {\"entries\": []}}");
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.create(CommandLine.defaultFactory());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute("import", "har", bad.toString()));
        assertTrue(err.toString().contains("not a HAR file with requests"), err.toString());
        Files.writeString(bad, "{not json");
        assertEquals(2, cl.execute("import", "har", bad.toString()));
        assertTrue(err.toString().contains("cannot read it as JSON"), err.toString());
    }
}
