package dev.loadleak.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loadleak.metrics.PrometheusText;
import dev.loadleak.metrics.SeriesFiles;
import dev.loadleak.scenario.CriteriaParser;
import dev.loadleak.scenario.Criterion;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Problem;
import dev.loadleak.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing with fixed seeds, 10,000 inputs per parser: the only outcomes allowed are a
 * valid result or a clear error (the parser's documented exception, with a message); no other
 * exception, no hang.
 */
class ParserFuzzTest {
    private static final int INPUTS = 10_000;
    private static final String ALPHABET = "{}[]:,-#'\"\\ \n\t=<>!%/.$*&|?@0123456789abcdefxyzKMGBhsmuµ_é\u0000";

    /** Random edits: replace, insert, delete a character, cut or duplicate a line, splice two inputs. */
    static String mutate(String s, SplittableRandom r, List<String> corpus) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int len = b.length();
            int at = len == 0 ? 0 : r.nextInt(len);
            switch (r.nextInt(7)) {
                case 0 -> { if (len > 0) b.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length()))); }
                case 1 -> b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 2 -> { if (len > 0) b.deleteCharAt(at); }
                case 3 -> {
                    int nl = b.indexOf("\n", at);
                    if (nl > at) {
                        b.delete(at, nl);
                    }
                }
                case 4 -> {
                    int end = Math.min(len, at + r.nextInt(40));
                    b.insert(at, b.substring(at, end));
                }
                case 5 -> {
                    String other = corpus.get(r.nextInt(corpus.size()));
                    int from = other.isEmpty() ? 0 : r.nextInt(other.length());
                    b.insert(at, other, from, Math.min(other.length(), from + r.nextInt(60)));
                }
                default -> b.insert(at, String.valueOf(r.nextLong()));
            }
        }
        return b.toString();
    }

    private static void fuzz(String what, List<String> corpus, long seed, Consumer<String> parse) {
        SplittableRandom r = new SplittableRandom(seed);
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            for (int i = 0; i < INPUTS; i++) {
                String input = mutate(corpus.get(r.nextInt(corpus.size())), r, corpus);
                try {
                    parse.accept(input);
                } catch (RuntimeException | AssertionError e) {
                    fail(what + " input #" + i + " escaped with " + e + "\n--- input ---\n" + input, e);
                }
            }
        });
    }

    @Test
    void scenarioParser() throws Exception {
        List<String> corpus = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                corpus.add(Files.readString(p));
            }
        }
        Map<String, String> env = Map.of("MEDIANEST_API_TOKEN", "tok-1234", "METRICS_TOKEN", "met-5678");
        ScenarioLoader.Options opts = new ScenarioLoader.Options(env::get, List.of(), false);
        fuzz("scenario", corpus, 1, text -> {
            try {
                assertNotNull(ScenarioLoader.parse(Math.abs(text.hashCode()) % 2 == 0 ? "f.yaml" : "f.json", text, opts,
                        Path.of("scenarios")));
            } catch (InvalidScenarioException e) {
                for (Problem p : e.problems()) {
                    if (p.message() == null || p.message().isBlank()) {
                        throw new AssertionError("a problem without a message: " + p);
                    }
                }
            }
        });
    }

    @Test
    void flowScenarios() throws Exception {
        List<String> corpus = new ArrayList<>(List.of(Files.readString(Path.of("scenarios/flows-demo.yaml")),
                Files.readString(Path.of("scenarios/medianest-staging.yaml")), """
                target: http://127.0.0.1:8080
                phases: [{duration: 10s, rate: 5/s}, {duration: 5s, concurrency: 3, think: 1s}]
                setup:
                  - {name: admin, method: POST, path: /login, body: {u: a}, extract: {adm: {json: /token}, code: status}}
                flows:
                  - name: f
                    weight: 2
                    onError: continue
                    resetEachIteration: true
                    cookies: false
                    steps:
                      - {name: a, path: /a, extract: {x: {regex: 'id=(\\d+)'}, y: {header: Location, secret: false}}}
                      - {name: b, path: "/b/${x}${y}", headers: {Authorization: "Bearer ${adm}"}, think: 1s..2s}
                      - {name: c, path: /c, extract: {z: {cookie: sid}}, expect: {status: [200, 201], json: {/a: b}}}
                  - {name: g, steps: [{path: "/g/${adm}"}]}
                teardown: [{method: DELETE, path: "/t/${adm}"}]
                criteria:
                  required: ["iteration_duration{flow=f} p95 < 2s", "iteration_failure_rate < 1%", "p95{step=b} < 1s"]
                """));
        Map<String, String> env = Map.of("MEDIANEST_API_TOKEN", "tok-1234", "METRICS_TOKEN", "met-5678");
        ScenarioLoader.Options opts = new ScenarioLoader.Options(env::get, List.of(), false);
        fuzz("flow scenario", corpus, 4, text -> {
            try {
                assertNotNull(ScenarioLoader.parse("f.yaml", text, opts, Path.of("scenarios")));
            } catch (InvalidScenarioException e) {
                for (Problem p : e.problems()) {
                    if (p.message() == null || p.message().isBlank()) {
                        throw new AssertionError("a problem without a message: " + p);
                    }
                }
            }
        });
    }

    @Test
    void criteriaGrammar() {
        List<String> corpus = List.of("p95 < 500ms", "error_rate < 2%", "memory_growth < 50MB/h", "throughput > 25/s",
                "p99{request=list} < 800ms", "target.lag max < 0.05", "errors{kind=timeout} == 0", "p99.9 <= 1.5s",
                "memory_max < 1GB", "p95{phase=steady} < 1s", "late_sends < 10", "p50_uncorrected < 1e3us");
        CriteriaParser.Context ctx = new CriteriaParser.Context(Set.of("list"), Set.of("steady"), Set.of("heap"), true);
        fuzz("criteria", corpus, 2, text -> {
            try {
                assertNotNull(CriteriaParser.parse(text, Criterion.Level.REQUIRED, 1, ctx));
            } catch (IllegalArgumentException e) {
                assertNotNull(e.getMessage());
            }
        });
    }

    @Test
    void prometheusText() {
        List<String> corpus = List.of("# HELP m x\n# TYPE m gauge\nm 1\n", "m{a=\"b\",c=\"d\\\"e\"} 1.5e3 1700000000000\n",
                "h_bucket{le=\"+Inf\"} 3\nh_sum 2.5\nh_count 3\n", "x NaN\ny -Inf\n", "process_resident_memory_bytes 1.2E8\n");
        fuzz("prometheus", corpus, 3, text -> {
            try {
                List<PrometheusText.Sample> s = PrometheusText.parse(text);
                PrometheusText.select(s, "m", Map.of("a", "b"));
            } catch (IllegalArgumentException e) {
                assertNotNull(e.getMessage());
            }
        });
    }

    @Test
    void leakInputs() {
        List<String> corpus = List.of("time,bytes\n0,100\n1,200\n2,300\n", "2026-11-22T00:00:00Z,1\n2026-11-22T00:00:30Z,2\n",
                "1795306700000;5\n1795306701500;6\n",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"m\"},"
                        + "\"values\":[[1700000000,\"100\"],[1700000015,\"110\"]]}]}}");
        fuzz("leak input", corpus, 4, text -> {
            try {
                assertNotNull(SeriesFiles.parse("m.csv", text));
            } catch (IllegalArgumentException e) {
                assertNotNull(e.getMessage());
            }
        });
    }
}
