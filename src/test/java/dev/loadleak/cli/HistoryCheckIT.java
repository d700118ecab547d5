package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code history check} on real runs, each a fresh process as in CI, against the built-in target on
 * 127.0.0.1: 10 runs at {@code --latency 5ms±1ms}, then 4 at {@code 8ms±1ms} — exit 1 naming run 11
 * of 14; the same 10 runs and 4 more at 5 ms — exit 0. Each run is 1 s at 200 requests/s, recorded
 * with {@code run --history --label commit=…}. (The runs used to share one test JVM: its p95 drifted
 * 25 % over 14 runs and made a steady history look regressed.)
 */
class HistoryCheckIT {
    private static void runs(Path dir, Path history, String latency, int from, int n) throws Exception {
        try (Packaged.Target target = Packaged.startTarget(List.of(), "--latency", latency)) {
            Path scenario = dir.resolve("gate-" + from + ".yaml");
            Files.writeString(scenario, "name: gate\ntarget: " + target.url() + "\n"
                    + "phases: [{duration: 1s, rate: 200/s}]\nrequests: [{name: get, path: /api/v1/media}]\n");
            for (int i = from; i < from + n; i++) {
                Process p = Packaged.start("run", scenario.toString(), "--out", dir.resolve("run-" + i).toString(),
                        "--history", history.toString(), "--label", "commit=c" + latency.charAt(0) + "-" + i);
                String out = new String(p.getInputStream().readAllBytes());
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue(), out);
                assertTrue(out.contains("history: recorded in"), out);
            }
        }
    }

    private static String check(Path history, int expectedExit) throws Exception {
        Process p = Packaged.start("history", "check", history.toString(), "--metrics", "p50,p95");
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        System.out.println(out);
        assertEquals(expectedExit, p.exitValue(), out);
        return out;
    }

    @Test
    void aRegressionAtRunElevenOfFourteenFailsTheGateAndFourteenSteadyRunsPass() throws Exception {
        Path dir = Files.createTempDirectory("history-it");
        Path regressed = dir.resolve("regressed.db");
        runs(dir, regressed, "5ms±1ms", 0, 10);
        Path steady = dir.resolve("steady.db");
        for (String part : List.of("", "-wal", "-shm")) {
            Path from = dir.resolve("regressed.db" + part);
            if (Files.exists(from)) {
                Files.copy(from, dir.resolve("steady.db" + part), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        runs(dir, regressed, "8ms±1ms", 10, 4);
        runs(dir, steady, "5ms±1ms", 20, 4);
        String out = check(regressed, 1);
        assertTrue(out.contains("at run 11 of 14") && out.contains("REGRESSION, still in force"), out);
        out = check(steady, 0);
        assertTrue(out.contains("no regression in force"), out);
    }
}
