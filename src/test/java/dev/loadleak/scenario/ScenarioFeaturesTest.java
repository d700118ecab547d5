package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The scenario language key by key: load models, requests, variables, secrets, overrides. */
class ScenarioFeaturesTest {
    private static final String HEAD = "target: http://127.0.0.1:8080\n";

    private static Scenario parse(String yaml, Map<String, String> env, List<String> overrides) throws Exception {
        return ScenarioLoader.parse("t.yaml", yaml, new ScenarioLoader.Options(env::get, overrides, false), Path.of("scenarios"));
    }

    private static Scenario parse(String yaml) throws Exception {
        return parse(yaml, Map.of(), List.of());
    }

    private static List<String> problems(String yaml) {
        return assertThrows(InvalidScenarioException.class, () -> parse(yaml)).problems().stream()
                .map(Problem::toString).toList();
    }

    @Test
    void loadModels() throws Exception {
        Scenario s = parse(HEAD + """
                defaults: {maxConnections: 32}
                phases:
                  - {name: w, duration: 10s, rate: 5/s, warmup: true}
                  - {name: ramp, duration: 1m, rate: {from: 10/s, to: 200/s}, arrival: poisson}
                  - {name: users, duration: 30s, concurrency: 20, think: 1s}
                  - {name: flat-out, duration: 10s, max: true}
                requests: [{path: /}]
                """);
        assertEquals(new Phase.ConstantRate(5, false), s.phases().get(0).load());
        assertTrue(s.phases().get(0).warmup());
        assertEquals(new Phase.Ramp(10, 200, true), s.phases().get(1).load());
        assertEquals(105.0, s.phases().get(1).intendedRateAt(30), 1e-9);
        assertEquals(new Phase.Closed(20, 1_000_000_000L), s.phases().get(2).load());
        assertEquals(new Phase.Max(32), s.phases().get(3).load());
    }

    @Test
    void loadModelMistakes() {
        List<String> p = problems(HEAD + """
                phases:
                  - {duration: 10s}
                  - {duration: 10s, rate: 5/s, concurrency: 3}
                  - {duration: 10s, rate: {from: 0/s, to: 0/s}}
                  - {duration: 10s, concurrency: 0}
                  - {duration: 10s, rate: 5/s, think: 1s}
                  - {duration: 10s, rate: 5/s, arrival: bursty}
                  - {duration: 10d, rate: 5/s}
                  - {duration: 200h, rate: 5/s}
                  - {duration: 1s, rate: 0/s, warmup: yes}
                requests: [{path: /}]
                """);
        String all = String.join("\n", p);
        assertTrue(all.contains("phases[0]: says no load model"), all);
        assertTrue(all.contains("phases[1]: says more than one load model"), all);
        assertTrue(all.contains("phases[2].rate: a ramp from 0/s to 0/s sends nothing"), all);
        assertTrue(all.contains("phases[3].concurrency: must be between 1 and 100000, was 0"), all);
        assertTrue(all.contains("phases[4].think: think applies to closed phases"), all);
        assertTrue(all.contains("phases[5].arrival: \"bursty\" is not an arrival"), all);
        assertTrue(all.contains("phases[6].duration: \"10d\" is not a duration"), all);
        assertTrue(all.contains("phases[7].duration: is longer than a week; pass --allow-long"), all);
        assertTrue(all.contains("phases[8].rate: must be more than 0/s"), all);
        assertTrue(all.contains("phases[8].warmup: must be true or false"), all);
    }

    @Test
    void requestsWithQueryExpectAndBodies() throws Exception {
        Path dir = Files.createTempDirectory("bodies");
        Files.writeString(dir.resolve("photo.jpg"), "JPEGDATA");
        Scenario s = ScenarioLoader.parse("r.yaml", HEAD + """
                phases: [{duration: 1s, rate: 1/s}]
                requests:
                  - name: search
                    path: /api/v1/media/search
                    query: {q: "a b&c", page: "${random:1..5}"}
                    expect: {status: [200, 2xx, 404], bodyContains: items, json: {/page: 1}}
                  - {name: raw, method: put, path: /raw, bodyFile: photo.jpg}
                  - name: upload
                    path: /upload
                    multipart: {file: photo.jpg, contentType: image/jpeg, fields: {title: Beach}}
                """, new ScenarioLoader.Options(k -> null, List.of(), false), dir);
        RequestSpec search = s.requests().get(0);
        assertEquals("/api/v1/media/search?q=a+b%26c&page=${random:1..5}", search.url().source());
        String rendered = search.url().render(0, new SplittableRandom(1));
        assertTrue(rendered.matches("/api/v1/media/search\\?q=a\\+b%26c&page=[1-5]"), rendered);
        assertTrue(search.expect().statuses().containsAll(Set.of(200, 201, 299, 404)));
        assertEquals(101, search.expect().statuses().size());
        assertEquals(Map.of("/page", "1"), search.expect().jsonEquals());
        RequestSpec raw = s.requests().get(1);
        assertEquals("PUT", raw.method());
        assertEquals("JPEGDATA", new String(((RequestSpec.FileBody) raw.body()).bytes()));
        assertEquals("application/octet-stream", raw.headers().get("Content-Type").constant());
        RequestSpec upload = s.requests().get(2);
        RequestSpec.MultipartBody mp = (RequestSpec.MultipartBody) upload.body();
        String encoded = new String(mp.encoded());
        assertTrue(encoded.contains("Content-Disposition: form-data; name=\"title\"\r\n\r\nBeach\r\n"), encoded);
        assertTrue(encoded.contains("name=\"file\"; filename=\"photo.jpg\"\r\nContent-Type: image/jpeg\r\n\r\nJPEGDATA\r\n"));
        assertTrue(encoded.endsWith("--" + mp.boundary() + "--\r\n"));
        assertEquals("multipart/form-data; boundary=" + mp.boundary(), upload.headers().get("Content-Type").constant());
        assertEquals("POST", upload.method());
    }

    @Test
    void requestMistakes() {
        String all = String.join("\n", problems(HEAD + """
                phases: [{duration: 1s, rate: 1/s}]
                requests:
                  - {path: /a, body: x, bodyFile: f.bin}
                  - {path: /b, bodyFile: no-such-file.bin}
                  - {path: /c, expect: {status: 700}}
                  - {path: /d, expect: {json: {items: 1}}}
                  - {path: "/e/${nope}"}
                  - {path: /f, headers: {X-Token: "${env:NOT_SET_ANYWHERE}"}}
                  - {path: /g, method: FETCH}
                """));
        assertTrue(all.contains("requests[0]: has more than one of body, bodyFile, multipart"), all);
        assertTrue(all.contains("requests[1].bodyFile: cannot read"), all);
        assertTrue(all.contains("requests[2].expect.status: \"700\" is not a status"), all);
        assertTrue(all.contains("requests[3].expect.json.items: \"items\" is not a JSON pointer"), all);
        assertTrue(all.contains("requests[4].path: unknown variable ${nope}"), all);
        assertTrue(all.contains("requests[5].headers.X-Token: environment variable NOT_SET_ANYWHERE is not set"), all);
        assertTrue(all.contains("requests[6].method: \"FETCH\" is not an HTTP method"), all);
    }

    @Test
    void variablesRender() throws Exception {
        Scenario s = parse(HEAD + """
                phases: [{duration: 1s, rate: 1/s}]
                requests:
                  - path: "/u/${seq}/${uuid}/${csv:data/search-terms.csv:term}/${env:REGION:-eu}/$${literal}"
                """);
        Template t = s.requests().get(0).url();
        SplittableRandom r = new SplittableRandom(3);
        String first = t.render(0, r);
        String second = t.render(1, r);
        assertTrue(first.matches("/u/0/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/holiday/eu/\\$\\{literal}"),
                first);
        assertTrue(second.startsWith("/u/1/") && second.contains("/beach/"), second);
        assertFalse(t.isConstant());
    }

    @Test
    void environmentValuesAreSecretsAndRedacted() throws Exception {
        Scenario s = parse(HEAD + """
                defaults: {headers: {Authorization: "Bearer ${env:API_TOKEN}"}}
                phases: [{duration: 1s, rate: 1/s}]
                requests: [{path: "/q?key=${env:API_KEY}", body: {password: "${env:DB_PASSWORD}"}}]
                """, Map.of("API_TOKEN", "tok-123456", "API_KEY", "k3y/with space", "DB_PASSWORD", "p\"ss\\word"), List.of());
        assertEquals(Set.of("tok-123456", "k3y/with space", "p\"ss\\word"), s.secrets());
        Redactor r = s.redactor();
        assertEquals("Bearer ***", r.redact("Bearer tok-123456"));
        assertEquals("/q?key=***", r.redact("/q?key=k3y%2Fwith+space"));
        assertEquals("{\"password\":\"***\"}", r.redact("{\"password\":\"p\\\"ss\\\\word\"}"));
        assertEquals("Bearer ${env:API_TOKEN}", s.defaults().headers().get("Authorization").source(),
                "the scenario keeps how the value was written, not the value");
    }

    @Test
    void precedenceDefaultsFileEnvironmentFlags() throws Exception {
        String yaml = HEAD + "defaults: {timeout: 3s}\nphases: [{duration: 10s, rate: 5/s}]\nrequests: [{path: /}]\n";
        // defaults only (file silent on maxConnections)
        assertEquals(Defaults.DEFAULT_MAX_CONNECTIONS, parse(yaml).defaults().maxConnections());
        // the file beats the defaults
        assertEquals(3_000_000_000L, parse(yaml).defaults().timeoutNanos());
        Map<String, String> env = Map.of("LOADLEAK_SET", "defaults.timeout=4s;phases[0].rate=7/s",
                "LOADLEAK_TARGET", "http://127.0.0.1:9001");
        // the environment beats the file
        List<String> envOnly = Overrides.layered(env::get, null, List.of());
        Scenario e = parse(yaml, env, envOnly);
        assertEquals(4_000_000_000L, e.defaults().timeoutNanos());
        assertEquals(new Phase.ConstantRate(7, false), e.phases().get(0).load());
        assertEquals("http://127.0.0.1:9001", e.target().toString());
        // flags beat the environment
        List<String> both = Overrides.layered(env::get, "http://127.0.0.1:9002", List.of("defaults.timeout=5s"));
        Scenario f = parse(yaml, env, both);
        assertEquals(5_000_000_000L, f.defaults().timeoutNanos());
        assertEquals(new Phase.ConstantRate(7, false), f.phases().get(0).load());
        assertEquals("http://127.0.0.1:9002", f.target().toString());
    }

    @Test
    void overridesAreValidatedLikeTheFile() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> parse(
                HEAD + "phases: [{duration: 10s, rate: 5/s}]\nrequests: [{path: /}]\n", Map.of(),
                List.of("phases[0].rate=5/fortnight", "defaults.maxConection=3")));
        String all = e.problems().toString();
        assertTrue(all.contains("(override): phases[0].rate: \"5/fortnight\" is not a rate"), all);
        assertTrue(all.contains("defaults.maxConection: unknown key (hint: did you mean \"maxConnections\"?)"), all);
        assertThrows(InvalidScenarioException.class, () -> parse(HEAD + "phases: [{duration: 1s, rate: 1/s}]\n"
                + "requests: [{path: /}]\n", Map.of(), List.of("phases[3].rate=1/s")));
        assertThrows(InvalidScenarioException.class, () -> parse(HEAD + "phases: [{duration: 1s, rate: 1/s}]\n"
                + "requests: [{path: /}]\n", Map.of(), List.of("no-equals-sign")));
    }

    @Test
    void criteriaAndMemoryBlocks() throws Exception {
        Scenario s = parse(HEAD + """
                phases: [{name: steady, duration: 1m, rate: 5/s}]
                requests: [{name: list, path: /}]
                memory:
                  interval: 2s
                  warmupShare: 10%
                  leakThreshold: 20MB/h
                  sources:
                    - {name: heap, type: prometheus, metric: 'jvm_memory_used_bytes{area="heap",id="G1 Old Gen"}'}
                    - {name: live, type: prometheus, metric: jvm_gc_live_data_size_bytes}
                    - {name: rss, type: process, pid: 1}
                    - {type: json, url: /debug/memory, pointer: /heapUsed}
                criteria:
                  required:
                    - p95 < 500ms
                    - {check: "memory_growth{source=heap} < 50MB/h", weight: 3}
                  target: [throughput > 4/s]
                """);
        assertEquals(3, s.criteria().size());
        assertEquals(3.0, s.criteria().get(1).weight());
        MemoryConfig.Prometheus heap = (MemoryConfig.Prometheus) s.memory().sources().get(0);
        assertEquals(Map.of("area", "heap", "id", "G1 Old Gen"), heap.labels());
        assertEquals("/metrics", heap.url());
        assertFalse(heap.postGc());
        assertTrue(s.memory().sources().get(1).postGc(), "jvm_gc_live_data_size_bytes is post-GC by nature");
        assertEquals(2_000_000_000L, s.memory().intervalNanos());
        assertEquals(0.1, s.memory().warmupShare(), 1e-9);
        assertEquals(20.0, s.memory().leakThresholdMBPerHour(), 1e-9);
        assertEquals("json/heapUsed", s.memory().sources().get(3).name());
    }

    @Test
    void criteriaThatNameUnknownThingsAreErrors() {
        String all = String.join("\n", problems(HEAD + """
                phases: [{name: steady, duration: 1m, rate: 5/s}]
                requests: [{name: list, path: /}]
                criteria:
                  required: ["p95{request=lst} < 1s", p59 < 1s, memory_growth < 5MB/h]
                  extra: [p95 < 1s]
                """));
        assertTrue(all.contains("criteria.required[0]: unknown request \"lst\"; did you mean \"list\"?"), all);
        assertTrue(all.contains("criteria.required[1]: unknown metric \"p59\""), all);
        assertTrue(all.contains("criteria.required[2]: memory_growth needs a memory: block"), all);
        assertTrue(all.contains("criteria.extra: unknown key"), all);
    }

    @Test
    void memoryMistakes() {
        String all = String.join("\n", problems(HEAD + """
                phases: [{duration: 1m, rate: 5/s}]
                requests: [{path: /}]
                memory:
                  interval: 10ms
                  sources:
                    - {type: prometheus}
                    - {type: process}
                    - {type: statsd}
                    - {type: prometheus, metric: 'x{a=b}'}
                    - {type: prometheus, metric: up, tokenEnv: NO_SUCH_TOKEN_VAR}
                """));
        assertTrue(all.contains("memory.interval: must be at least 100ms"), all);
        assertTrue(all.contains("memory.sources[0].metric: is missing"), all);
        assertTrue(all.contains("memory.sources[1]: a process source needs exactly one of pid, pidfile, launch"), all);
        assertTrue(all.contains("memory.sources[2].type: \"statsd\" is not a source type"), all);
        assertTrue(all.contains("memory.sources[3].metric: cannot read the labels"), all);
        assertTrue(all.contains("memory.sources[4].tokenEnv: environment variable NO_SUCH_TOKEN_VAR is not set"), all);
    }

    @Test
    void ratesPerMinuteAndHourWhereverARateIsWritten() throws Exception {
        Scenario s = parse(HEAD + """
                phases:
                  - {duration: 1m, rate: 50/min}
                  - {duration: 1m, rate: {from: 60/m, to: 7200/h}}
                requests: [{path: /}]
                criteria: {target: [throughput > 1500/min]}
                """);
        assertEquals(50 / 60.0, s.phases().get(0).intendedRateAt(0), 1e-9);
        assertEquals(1.0, s.phases().get(1).intendedRateAt(0), 1e-9);
        assertEquals(2.0, s.phases().get(1).intendedRateAt(60), 1e-9);
        assertEquals(25.0, s.criteria().get(0).threshold(), 1e-9);
    }

    @Test
    void classHistogramEvidenceIsForProcessSources() throws Exception {
        Scenario s = parse(HEAD + "phases: [{duration: 1m, rate: 5/s}]\nrequests: [{path: /}]\n"
                + "memory: {sources: [{type: process, pid: 4242, evidence: classHistogram}]}\n");
        assertTrue(((MemoryConfig.Process) s.memory().sources().get(0)).classHistogram());
        List<String> all = problems(HEAD + "phases: [{duration: 1m, rate: 5/s}]\nrequests: [{path: /}]\n"
                + "memory: {sources: [{type: prometheus, metric: m, evidence: classHistogram},\n"
                + "  {type: process, pid: 1, evidence: heapDump}]}\n");
        assertTrue(all.stream().anyMatch(p -> p.contains("memory.sources[0].evidence: evidence needs a process or "
                + "node source")), all.toString());
        assertTrue(all.stream().anyMatch(p -> p.contains("\"heapDump\" is not an evidence; write classHistogram")),
                all.toString());
    }

    @Test
    void nodeSourcesForcedCollectionsAndSnapshots() throws Exception {
        String head = HEAD + "phases: [{duration: 1m, rate: 5/s}]\nrequests: [{path: /}]\n";
        Scenario s = parse(head + "memory: {sources: [{type: node, inspect: \"127.0.0.1:9229\", evidence: heapSnapshot},\n"
                + "  {name: jvm, type: process, pid: 4242, forceGcEvery: 30s}]}\n");
        MemoryConfig.Node node = (MemoryConfig.Node) s.memory().sources().get(0);
        assertEquals("v8", node.name());
        assertEquals(9229, node.port());
        assertTrue(node.forceGc() && node.heapSnapshot(), "a snapshot comes after forced collections");
        MemoryConfig.Process jvm = (MemoryConfig.Process) s.memory().sources().get(1);
        assertTrue(jvm.forceGc());
        assertEquals(30_000_000_000L, jvm.forceGcEveryNanos());
        List<String> all = problems(head + "memory: {sources: [{type: node, inspect: \"10.1.2.3:9229\"},\n"
                + "  {type: prometheus, metric: m, forceGc: true},\n  {type: node, inspect: \"127.0.0.1:9229\", "
                + "forceGcEvery: 1s},\n  {type: node, inspect: nowhere},\n  {type: json, url: /m, pointer: /a, "
                + "inspect: \"127.0.0.1:1\"}]}\n");
        assertTrue(all.stream().anyMatch(p -> p.contains("memory.sources[0].inspect") && p.contains("this machine only")),
                all.toString());
        assertTrue(all.stream().anyMatch(p -> p.contains("memory.sources[1].forceGc: forceGc needs a source loadleak "
                + "can make collect")), all.toString());
        assertTrue(all.stream().anyMatch(p -> p.contains("memory.sources[2].forceGcEvery") && p.contains("at least 5s")),
                all.toString());
        assertTrue(all.stream().anyMatch(p -> p.contains("memory.sources[3].inspect") && p.contains("not HOST:PORT")),
                all.toString());
        assertTrue(all.stream().anyMatch(p -> p.contains("memory.sources[4].inspect: inspect belongs to a node source")),
                all.toString());
    }
}
