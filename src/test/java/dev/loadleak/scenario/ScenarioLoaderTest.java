package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {
    @Test
    void bundledDemoScenarioIsValid() throws Exception {
        Scenario s = ScenarioLoader.load(Path.of("scenarios/demo.yaml"));
        assertEquals("demo", s.name());
        assertEquals("http://127.0.0.1:8080", s.target().toString());
        assertEquals(2, s.phases().size());
        assertTrue(s.phases().get(0).warmup());
        assertEquals(new Phase.ConstantRate(200, false), s.phases().get(1).load());
        assertEquals(27_000_000_000L, s.phases().get(1).durationNanos());
        assertEquals(30_000_000_000L, s.totalDurationNanos());
        assertEquals(List.of("list-media", "get-media", "create-media"), s.requests().stream().map(RequestSpec::name).toList());
        RequestSpec create = s.requests().get(2);
        assertEquals("POST", create.method());
        assertEquals("{\"title\":\"Holiday video\",\"type\":\"video\",\"sizeBytes\":1048576}",
                ((RequestSpec.TextBody) create.body()).text().constant());
        assertEquals("application/json", create.headers().get("Content-Type").constant());
        assertEquals(java.util.Set.of(201), create.expect().statuses());
        assertEquals(5, s.criteria().size()); // the last a target memory_growth: the demo's leak makes it CONDITIONAL GO
        assertEquals(1, s.memory().sources().size());
        assertEquals(64, s.defaults().maxConnections());
        assertEquals(5_000_000_000L, s.defaults().timeoutNanos());
    }

    @Test
    void minimalScenarioGetsDefaults() throws Exception {
        Scenario s = ScenarioLoader.parse("min.yaml", """
                target: http://localhost:9000/base/
                phases: [{duration: 10s, rate: 5/s}]
                requests: [{path: /x}]
                """);
        assertEquals("scenario", s.name());
        assertEquals("phase-1", s.phases().get(0).name());
        RequestSpec r = s.requests().get(0);
        assertEquals("request-1", r.name());
        assertEquals("GET", r.method());
        assertEquals(1, r.weight());
        assertEquals(Map.of(), r.headers());
        assertEquals("/x", r.url().constant());
        assertEquals(Defaults.DEFAULT_MAX_CONNECTIONS, s.defaults().maxConnections());
    }

    @Test
    void jsonIsAcceptedToo() throws Exception {
        Scenario s = ScenarioLoader.parse("s.json", """
                {"target": "https://api.example.test", "phases": [{"duration": "1m", "rate": "0.5/s"}],
                 "requests": [{"name": "a", "path": "/a", "weight": 2}]}
                """);
        assertEquals(60_000_000_000L, s.totalDurationNanos());
        assertEquals(2, s.requests().get(0).weight());
    }

    @Test
    void everyProblemAtOnceWithLocationPathAndHint() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("bad.yaml", """
                name: broken
                taget: http://x
                defaults:
                  maxConnections: 0
                phases:
                  - name: warm
                    duration: 0s
                    rate: 50/fortnight
                requests:
                  - name: a
                    path: api/no-slash
                    methd: GET
                  - name: a
                    path: /b
                    weight: -3
                """));
        List<String> lines = e.problems().stream().map(Problem::toString).toList();
        assertContains(lines, "bad.yaml:2:1: taget: unknown key (hint: did you mean \"target\"?)");
        assertContains(lines, "bad.yaml:1:1: target: is missing (hint: the base URL of the API under test, e.g. http://127.0.0.1:8080)");
        assertContains(lines, "bad.yaml:4:19: defaults.maxConnections: must be between 1 and 100000, was 0");
        assertContains(lines, "bad.yaml:7:15: phases[0].duration: must be more than 0; write e.g. 30s");
        assertContains(lines, "bad.yaml:8:11: phases[0].rate: \"50/fortnight\" is not a rate; write requests per second, e.g. 50/s or 0.83/s (or per minute or hour: 50/min, 3000/h)");
        assertContains(lines, "bad.yaml:11:11: requests[0].path: \"api/no-slash\" must start with / or be a full http(s) URL");
        assertContains(lines, "bad.yaml:12:5: requests[0].methd: unknown key (hint: did you mean \"method\"?)");
        assertContains(lines, "bad.yaml:15:13: requests[1].weight: weight must be between 1 and 1000000, was -3");
        assertContains(lines, "bad.yaml:13:11: requests[1].name: \"a\" is used twice (hint: give each a distinct name: reports and criteria refer to it)");
        assertEquals(9, e.problems().size(), String.join("\n", lines));
    }

    @Test
    void duplicateNamesAreReported() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("d.yaml", """
                target: http://127.0.0.1:1
                phases: [{duration: 1s, rate: 1/s}]
                requests:
                  - {name: a, path: /a}
                  - {name: a, path: /b}
                """));
        assertEquals("requests[1].name", e.problems().get(0).path());
        assertEquals(5, e.problems().get(0).line());
        assertEquals(12, e.problems().get(0).column());
    }

    @Test
    void syntaxErrorsCarryTheirLocation() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> ScenarioLoader.parse("x.yaml", "target: http://a\nphases: [\n  - {duration: 1s\n"));
        Problem p = e.problems().get(0);
        assertTrue(p.message().startsWith("not valid YAML"), p.toString());
        assertTrue(p.line() >= 2, p.toString());
    }

    @Test
    void unquotedScopeInAFlowListGetsAHint() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("c.yaml",
                "target: http://a\ncriteria: {required: [p95 < 1s, p99{request=x} < 2s]}\n"));
        assertTrue(e.problems().get(0).hint().startsWith("quote a value that holds { }"), e.problems().toString());
    }

    @Test
    void notAMapOrEmpty() {
        assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("e.yaml", ""));
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> ScenarioLoader.parse("l.yaml", "- a\n- b\n"));
        assertTrue(e.getMessage().contains("a scenario is a map of keys"));
    }

    @Test
    void missingFileIsAProblemNotACrash() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class,
                () -> ScenarioLoader.load(Path.of("does/not/exist.yaml")));
        assertTrue(e.getMessage().contains("cannot read the scenario file"), e.getMessage());
    }

    private static void assertContains(List<String> lines, String expected) {
        assertTrue(lines.contains(expected), "expected\n  " + expected + "\namong\n  " + String.join("\n  ", lines));
    }
}
