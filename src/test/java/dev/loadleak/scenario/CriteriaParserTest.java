package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.ErrorKind;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CriteriaParserTest {
    static final CriteriaParser.Context CTX = new CriteriaParser.Context(Set.of("list-media", "upload"),
            Set.of("warmup", "steady"), Set.of("heap", "rss"), true);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "p95 < 500ms                               | p95          | LT | 500000     |             |        ",
        "p99.9 <= 1.5s                             | p99.9        | LE | 1500000    |             |        ",
        "p999 < 2s                                 | p99.9        | LT | 2000000    |             |        ",
        "max < 800us                               | max          | LT | 800        |             |        ",
        "mean < 20ms                               | mean         | LT | 20000      |             |        ",
        "p99_uncorrected < 100ms                   | p99_uncorrected | LT | 100000  |             |        ",
        "error_rate < 2%                           | error_rate   | LT | 0.02       |             |        ",
        "error_rate < 0.005                        | error_rate   | LT | 0.005      |             |        ",
        "throughput > 25/s                         | throughput   | GT | 25         |             |        ",
        "throughput >= 25                          | throughput   | GE | 25         |             |        ",
        "throughput > 1500/min                     | throughput   | GT | 25         |             |        ",
        "throughput > 90000/h                      | throughput   | GT | 25         |             |        ",
        "errors{kind=timeout} == 0                 | errors       | EQ | 0          |             |        ",
        "late_sends < 10                           | late_sends   | LT | 10         |             |        ",
        "memory_growth < 50MB/h                    | memory_growth | LT | 50        |             |        ",
        "memory_growth{source=heap} < 512KB/h      | memory_growth | LT | 0.5       |             |        ",
        "memory_max < 1GB                          | memory_max   | LT | 1073741824 |             |        ",
        "p99{request=list-media} < 800ms           | p99          | LT | 800000     | list-media  |        ",
        "p95{phase=steady} < 500ms                 | p95          | LT | 500000     |             | steady ",
        "p95{ request = \"list-media\" } < 500ms   | p95          | LT | 500000     | list-media  |        ",
        "target.nodejs_eventloop_lag_p99_seconds max < 0.05 | target.nodejs_eventloop_lag_p99_seconds | LT | 0.05 | | ",
    })
    void parses(String text, String metric, Criterion.Op op, double threshold, String request, String phase) {
        Criterion c = CriteriaParser.parse(text, Criterion.Level.REQUIRED, 1, CTX);
        assertEquals(metric, c.metric());
        assertEquals(op, c.op());
        assertEquals(threshold, c.threshold(), 1e-9);
        assertEquals(request, c.request());
        assertEquals(phase, c.phase());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "p95 < 500              | a latency needs a unit",
        "p96 < 500ms            | unknown metric \"p96\"; did you mean",
        "latency < 5ms          | unknown metric \"latency\"",
        "p95{request=lst-media} < 1s | unknown request \"lst-media\"; did you mean \"list-media\"?",
        "p95{phase=ramp} < 1s   | unknown phase \"ramp\"",
        "p95{request=upload,phase=steady} < 1s | not both",
        "p95{color=red} < 1s    | unknown scope",
        "errors{kind=refused} < 1 | unknown error kind \"refused\"",
        "p95{kind=timeout} < 1s | kind= scopes the errors metric only",
        "error_rate < 2         | error_rate is a percentage or a fraction",
        "throughput > 25/day    | throughput is in requests per second",
        "p99{outcome=failed} < 1s | outcome= is success (the default) or error",
        "error_rate{outcome=error} < 1% | outcome=error scopes the (corrected) latency metrics only",
        "memory_growth < 50     | memory_growth is a rate",
        "memory_growth{source=old} < 5MB/h | unknown memory source \"old\"",
        "target.lag < 0.05      | needs an aggregate",
        "error_rate max < 2%    | aggregates (max) apply to target.<metric> criteria only",
        "throughput_uncorrected > 5 | _uncorrected applies to latency metrics only",
        "p95 is fast            | is not a criterion",
        "p95 <                  | is not a criterion",
    })
    void rejectsWithAHint(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CriteriaParser.parse(text, Criterion.Level.REQUIRED, 1, CTX));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void memoryCriteriaNeedAMemoryBlock() {
        CriteriaParser.Context none = new CriteriaParser.Context(Set.of(), Set.of(), Set.of(), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CriteriaParser.parse("memory_growth < 50MB/h", Criterion.Level.REQUIRED, 1, none));
        assertTrue(e.getMessage().contains("needs a memory: block"));
        assertThrows(IllegalArgumentException.class,
                () -> CriteriaParser.parse("target.x max < 1", Criterion.Level.TARGET, 1, none));
    }

    @Test
    void errorKindNamesFollowTheEngine() {
        assertEquals(Arrays.stream(ErrorKind.values()).map(ErrorKind::label).collect(Collectors.toSet()),
                CriteriaParser.ERROR_KINDS);
    }
}
