package dev.loadleak.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * native/grafana/loadleak-dashboard.json: every panel query parses as PromQL (promtool checks them
 * as recording rules, with the dashboard's variables filled in), and names only series loadleak
 * writes (remote write) or serves (serve's /metrics).
 */
class GrafanaDashboardTest {
    static final List<String> SERIES = List.of("loadleak_requests_total", "loadleak_request_errors_total",
            "loadleak_errors_total", "loadleak_latency_seconds_bucket", "loadleak_throughput_per_second",
            "loadleak_open_connections", "loadleak_in_flight", "loadleak_target_memory_bytes",
            "loadleak_leak_slope_mb_per_hour", "loadleak_leak_slope_mb_per_hour_low", "loadleak_leak_slope_mb_per_hour_high",
            "loadleak_leak_verdict", "loadleak_criterion_pass");

    @TempDir
    Path tmp;

    @Test
    void everyQueryParsesAndNamesARealSeries() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(Path.of("native/grafana/loadleak-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : dash.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                exprs.add(t.path("expr").asText());
            }
        }
        assertTrue(exprs.size() >= 12, "queries: " + exprs.size());
        for (String e : exprs) {
            var m = java.util.regex.Pattern.compile("loadleak_[a-z_]+").matcher(e);
            while (m.find()) {
                assertTrue(SERIES.contains(m.group()), "a series loadleak does not write: " + m.group() + " in " + e);
            }
        }
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed (apt-get install prometheus)");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String e = exprs.get(i).replace("$run", ".*").replace("\\", "\\\\").replace("\"", "\\\"");
            rules.append("      - record: dashboard_panel_").append(i).append("\n        expr: \"").append(e).append("\"\n");
        }
        Path file = tmp.resolve("rules.yml");
        Files.writeString(file, rules);
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("SUCCESS: " + exprs.size() + " rules found"), out);
    }
}
