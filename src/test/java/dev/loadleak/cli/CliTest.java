package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CLI as a user drives it; re-run against the packaged artifact by {@link CliIT}. */
@QuarkusMainTest
class CliTest {
    @Test
    @Launch("--version")
    void version(LaunchResult r) {
        assertTrue(r.getOutput().startsWith("loadleak "), r.getOutput());
    }

    @Test
    @Launch("--help")
    void help(LaunchResult r) {
        assertTrue(r.getOutput().contains("Exit codes: 0 passed, 1 criteria failed, 2 invalid input"), r.getOutput());
        assertTrue(r.getOutput().contains("demo"));
    }

    @Test
    void completionScriptsForBashAndZsh(QuarkusMainLauncher launcher) {
        LaunchResult bash = launcher.launch("completion", "bash");
        assertEquals(0, bash.exitCode(), bash.getErrorOutput());
        assertTrue(bash.getOutput().contains("complete -F _complete_loadleak"), bash.getOutput());
        assertTrue(bash.getOutput().contains("validate"), "subcommands are completed");
        assertTrue(bash.getOutput().contains("--event-loops"), "options are completed");
        LaunchResult zsh = launcher.launch("completion", "zsh");
        assertTrue(zsh.getOutput().startsWith("autoload -U +X compinit"), zsh.getOutput());
        assertEquals(2, launcher.launch("completion", "fish").exitCode());
    }

    @Test
    void everyCommandsHelpEndsWithExamples(QuarkusMainLauncher launcher) {
        for (String c : new String[] {"run", "demo", "validate", "score", "report", "compare", "merge", "leak", "hunt", "target",
            "heap-diff", "serve", "completion"}) {
            LaunchResult r = launcher.launch(c, "--help");
            assertEquals(0, r.exitCode(), c);
            String out = r.getOutput();
            assertTrue(out.contains("Examples:\n  loadleak " + c), c + ":\n" + out);
            // a '%' that picocli takes for a format makes it warn on every --help
            assertFalse(r.getErrorOutput().contains("picocli WARN"), c + ":\n" + r.getErrorOutput());
        }
        assertTrue(launcher.launch("compare", "--help").getOutput().contains("--tolerance p95=5%,throughput=3%"));
    }

    @Test
    @Launch(value = {"serve", "--host", "0.0.0.0", "--port", "0"}, exitCode = 2)
    void serveRefusesToListenBeyondLoopbackWithoutAToken(LaunchResult r) {
        assertTrue(r.getErrorOutput().contains("refusing to serve on 0.0.0.0 without a token"), r.getErrorOutput());
    }

    @Test
    @Launch(value = {"serve", "--port", "0", "--files-dir", "/no/such/folder"}, exitCode = 2)
    void serveRefusesAFilesFolderThatIsNotThere(LaunchResult r) {
        assertTrue(r.getErrorOutput().contains("--files-dir /no/such/folder: not a directory"), r.getErrorOutput());
    }

    @Test
    @Launch(value = {"serve", "--port", "0", "--allow-target", "http://(unclosed"}, exitCode = 2)
    void serveRefusesAnAllowTargetThatIsNoRegularExpression(LaunchResult r) {
        assertTrue(r.getErrorOutput().contains("--allow-target: not a regular expression"), r.getErrorOutput());
    }

    @Test
    @Launch(value = {"run", "--no-such-flag", "x.yaml"}, exitCode = 2)
    void usageMistakeIsShortWithAPointerToHelp(LaunchResult r) {
        assertTrue(r.getErrorOutput().contains("error: Unknown option: '--no-such-flag'"), r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains("see 'loadleak run --help'"), r.getErrorOutput());
        assertTrue(!r.getErrorOutput().contains("at picocli."), "no stack trace without -e");
    }

    @Test
    void invalidScenarioListsEveryProblemAndExits2(QuarkusMainLauncher launcher) throws IOException {
        Path f = Files.createTempFile("bad", ".yaml");
        Files.writeString(f, "target: ftp://x\nphases: [{duration: 10s, rate: 5/fortnight}]\nrequests: [{pth: /a}]\n");
        LaunchResult r = launcher.launch("run", f.toString());
        assertEquals(2, r.exitCode());
        String err = r.getErrorOutput();
        assertTrue(err.contains(f + ":1:9: target: \"ftp://x\" is not an http(s) URL"), err);
        assertTrue(err.contains(f + ":2:32: phases[0].rate: \"5/fortnight\" is not a rate"), err);
        assertTrue(err.contains(f + ":3:13: requests[0].pth: unknown key (hint: did you mean \"path\"?)"), err);
        assertTrue(err.contains("error: 4 problems in " + f), err);
    }

    @Test
    void unreachableTargetExits3WithoutLoad(QuarkusMainLauncher launcher) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path f = Files.createTempFile("unreachable", ".yaml");
        Files.writeString(f, "target: http://127.0.0.1:" + port + "\nphases: [{duration: 5s, rate: 5/s}]\nrequests: [{path: /a}]\n");
        Path out = Files.createTempDirectory("out");
        LaunchResult r = launcher.launch("run", f.toString(), "--out", out.toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.getErrorOutput().contains("is unreachable"), r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains("no load was sent"), r.getErrorOutput());
        assertEquals(1, r.getErrorOutput().lines().filter(l -> l.startsWith("error:")).count(), r.getErrorOutput());
        // the artifacts a CI job keeps are written anyway, saying why
        String json = Files.readString(out.resolve("result.json"));
        assertTrue(json.contains("\"status\" : \"unreachable\""), json);
        assertTrue(json.contains("\"failure\" : \"target http://127.0.0.1:" + port + " is unreachable"), json);
        assertTrue(json.contains("\"verdict\" : \"NO_GO\""), json);
        String junit = Files.readString(out.resolve("junit.xml"));
        assertTrue(junit.contains("name='target reachable: target http://127.0.0.1:" + port + " is unreachable"), junit);
        assertTrue(junit.contains("<failure message="), junit);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("unreachable"));
        assertTrue(r.getOutput().contains("result: " + out.resolve("result.json")), r.getOutput());
    }

    @Test
    void neverHealthyTargetWritesItsArtifactsAsUnhealthy(QuarkusMainLauncher launcher) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // a server that answers every request 503: healthy never
            Thread t = new Thread(() -> {
                while (!s.isClosed()) {
                    try (java.net.Socket c = s.accept()) {
                        c.getInputStream().read(new byte[4096]);
                        c.getOutputStream().write("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            Path f = Files.createTempFile("unhealthy", ".yaml");
            Files.writeString(f, "target: http://127.0.0.1:" + s.getLocalPort() + "\npreflight: {url: /health, wait: 1s}\n"
                    + "phases: [{duration: 5s, rate: 5/s}]\nrequests: [{path: /a}]\n");
            Path out = Files.createTempDirectory("out");
            LaunchResult r = launcher.launch("run", f.toString(), "--out", out.toString());
            assertEquals(3, r.exitCode(), r.getErrorOutput());
            assertTrue(r.getErrorOutput().contains("was never healthy within 1 s (last: HTTP 503)"), r.getErrorOutput());
            assertTrue(Files.readString(out.resolve("result.json")).contains("\"status\" : \"unhealthy\""));
            assertTrue(Files.readString(out.resolve("junit.xml")).contains("name='target healthy: preflight: "));
        }
    }

    @Test
    void unwritableOutputIsInvalidInput(QuarkusMainLauncher launcher) throws IOException {
        Path file = Files.createTempFile("not-a-dir", ".txt");
        LaunchResult r = launcher.launch("run", "scenarios/demo.yaml", "--out", file.resolve("sub").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().contains("cannot write results to"), r.getErrorOutput());
    }

    /**
     * A full disk at the end of a run, for real: report.html and junit.xml are symbolic links to
     * /dev/full, where every write fails with ENOSPC. The summary still reaches stdout, each file
     * that could not be written is named with why, what could be written is, and the exit code is
     * 3 rather than a GO without its artifacts.
     */
    @Test
    void diskFullAtTheEndKeepsTheSummaryAndNamesWhatWasNotWritten(QuarkusMainLauncher launcher) throws IOException {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(devFull), "no /dev/full on this system");
        Path out = Files.createTempDirectory("full");
        Files.createSymbolicLink(out.resolve("report.html"), devFull);
        Files.createSymbolicLink(out.resolve("junit.xml"), devFull);
        LaunchResult r = launcher.launch("demo", "--duration", "2s", "--out", out.toString());
        String o = r.getOutput();
        String e = r.getErrorOutput();
        assertTrue(o.contains("verdict: "), "the summary is printed: " + o);
        // exit 3 (artifacts missing) on a passing run; a NO-GO (a pause of this machine lifting the
        // 2 s run's p95) keeps its own exit 1
        assertEquals(o.contains("verdict: NO-GO") ? 1 : 3, r.exitCode(), o + e);
        assertTrue(e.contains("could not write " + out.resolve("report.html") + ": "), e);
        assertTrue(e.contains("could not write " + out.resolve("junit.xml") + ": "), e);
        assertTrue(e.toLowerCase(java.util.Locale.ROOT).contains("no space left on device"), e);
        assertTrue(Files.size(out.resolve("result.json")) > 1000, "result.json is written");
        assertTrue(Files.size(out.resolve("summary.md")) > 100, "summary.md is written");
        assertTrue(!Files.exists(out.resolve("report.html"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "no truncated report is left behind");
    }

    @Test
    void demoRunsAgainstTheBuiltInTargetAndWritesAResult(QuarkusMainLauncher launcher) throws IOException {
        Path out = Files.createTempDirectory("demo");
        LaunchResult r = launcher.launch("demo", "--duration", "3s", "--out", out.toString());
        String o = r.getOutput();
        assertTrue(o.contains("completed after 3.0 s"), o);
        assertTrue(o.contains("requests: 540, 540 ok, 0 failed"), o);
        assertTrue(o.contains("PASS required error_rate < 1%"), o);
        // GO; a pause of this machine (not of loadleak) of ~150 ms in a 3 s run can lift the p95 over
        // its 100 ms bound: then NO-GO with exit 1, and that criterion must be the only failure
        boolean latencyPassed = o.contains("PASS required p95 < 100ms");
        if (latencyPassed) {
            assertEquals(0, r.exitCode(), o + r.getErrorOutput());
            assertTrue(o.contains("verdict: GO") || o.contains("verdict: CONDITIONAL GO"), o);
        } else {
            java.util.List<String> failed = o.lines().filter(l -> l.startsWith("  FAIL required")).toList();
            assertEquals(1, failed.size(), "only the latency criterion failed: " + o);
            assertTrue(failed.get(0).startsWith("  FAIL required p95 < 100ms"), o);
            assertTrue(o.contains("verdict: NO-GO"), o);
            assertEquals(1, r.exitCode(), o + r.getErrorOutput());
        }
        assertTrue(r.getErrorOutput().contains("demo target listening on http://127.0.0.1:"), r.getErrorOutput());
        String json = Files.readString(out.resolve("result.json"));
        assertTrue(json.contains("\"schemaVersion\" : 1"), json);
        assertTrue(json.contains("\"histograms\""), json);
        assertTrue(json.contains("\"verdict\" : \""), json);
        for (String f : java.util.List.of("report.html", "junit.xml", "summary.md", "timeline.csv")) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        org.HdrHistogram.HistogramLogReader hlog = new org.HdrHistogram.HistogramLogReader(
                out.resolve("latency-corrected.hlog").toFile());
        int intervals = 0;
        long recorded = 0;
        org.HdrHistogram.EncodableHistogram h;
        while ((h = hlog.nextIntervalHistogram()) != null) {
            intervals++;
            recorded += ((org.HdrHistogram.Histogram) h).getTotalCount();
        }
        assertTrue(intervals >= 3, "one interval histogram a second: " + intervals);
        assertEquals(570, recorded, "every success of the run, warm-up included, is in the interval log");
        LaunchResult html = launcher.launch("report", out.resolve("result.json").toString(), "--format", "md");
        assertTrue(html.getOutput().startsWith("### "), html.getOutput());
        // the saved run re-scores to the same verdict, and against other criteria
        LaunchResult again = launcher.launch("score", out.resolve("result.json").toString());
        assertTrue(again.getOutput().contains((latencyPassed ? "PASS" : "FAIL") + " required p95 < 100ms"), again.getOutput());
        assertEquals(r.exitCode(), again.exitCode(), again.getOutput());
        Path stricter = Files.createTempFile("criteria", ".yaml");
        Files.writeString(stricter, "criteria:\n  required: [p50 < 1us, \"error_rate{request=list-media} < 1%\"]\n");
        LaunchResult nogo = launcher.launch("score", out.resolve("result.json").toString(), "--criteria", stricter.toString());
        assertEquals(1, nogo.exitCode(), nogo.getOutput());
        assertTrue(nogo.getOutput().contains("FAIL required p50 < 1us"), nogo.getOutput());
        assertTrue(nogo.getOutput().contains("verdict: NO-GO"), nogo.getOutput());
        Files.writeString(stricter, "criteria:\n  required: [p50{request=nope} < 1s]\n");
        assertEquals(2, launcher.launch("score", out.resolve("result.json").toString(), "--criteria", stricter.toString())
                .exitCode());
    }

    @Test
    void validateSaysValidOrListsProblems(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult ok = launcher.launch("validate", "scenarios/smoke.yaml");
        assertEquals(0, ok.exitCode(), ok.getErrorOutput());
        assertTrue(ok.getOutput().contains("scenarios/smoke.yaml: valid — smoke against http://127.0.0.1:8080: 1 phase (20 s), "
                + "4 requests, 2 criteria"), ok.getOutput());
        Path bad = Files.createTempFile("bad", ".yaml");
        Files.writeString(bad, "target: http://127.0.0.1:1\nphases: [{duration: 1s, rate: 1/s}]\n"
                + "requests: [{path: /}]\ncriteria: {required: [p95 < 1]}\n");
        LaunchResult r = launcher.launch("validate", bad.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().contains(":4:23: criteria.required[0]: a latency needs a unit"), r.getErrorOutput());
        LaunchResult set = launcher.launch("validate", "scenarios/smoke.yaml", "--set", "phases[0].rate=5/fortnight");
        assertEquals(2, set.exitCode());
        assertTrue(set.getErrorOutput().contains("(override): phases[0].rate: \"5/fortnight\" is not a rate"), set.getErrorOutput());
    }

    @Test
    void validateWarnsOfMissingEnvironmentVariablesAndStrictRefusesThem(QuarkusMainLauncher launcher) throws IOException {
        Path f = Files.createTempFile("env", ".yaml");
        Files.writeString(f, "target: http://127.0.0.1:1\ndefaults: {headers: {Authorization: "
                + "\"Bearer ${env:LOADLEAK_TEST_UNSET_TOKEN}\"}}\nphases: [{duration: 1s, rate: 1/s}]\n"
                + "requests: [{path: \"/a?k=${env:LOADLEAK_TEST_UNSET_DEFAULTED:-x}\"}]\n");
        LaunchResult lenient = launcher.launch("validate", f.toString());
        assertEquals(0, lenient.exitCode(), lenient.getErrorOutput());
        assertTrue(lenient.getErrorOutput().contains("warning: environment variable LOADLEAK_TEST_UNSET_TOKEN is not set: "
                + "'run' will refuse to start without it"), lenient.getErrorOutput());
        assertTrue(!lenient.getErrorOutput().contains("LOADLEAK_TEST_UNSET_DEFAULTED"), "a default is not missing");
        assertTrue(lenient.getOutput().contains(": valid"), lenient.getOutput());
        LaunchResult strict = launcher.launch("validate", "--strict", f.toString());
        assertEquals(2, strict.exitCode());
        assertTrue(strict.getErrorOutput().contains("environment variable LOADLEAK_TEST_UNSET_TOKEN is not set"),
                strict.getErrorOutput());
        LaunchResult run = launcher.launch("run", f.toString());
        assertEquals(2, run.exitCode(), "run still refuses to start without it");
    }

    @Test
    void leakCommandReadsMonitoringData(QuarkusMainLauncher launcher) throws IOException {
        Path flat = Files.createTempFile("flat", ".csv");
        Path leaky = Files.createTempFile("leaky", ".csv");
        StringBuilder f = new StringBuilder("time,bytes\n");
        StringBuilder l = new StringBuilder("time,bytes\n");
        for (int i = 0; i < 600; i++) {
            long saw = (i % 20) * 2_000_000L;
            f.append(i).append(',').append(200_000_000L + saw).append('\n');
            l.append(i).append(',').append(200_000_000L + saw + (long) (i * 100e6 / 3600)).append('\n');
        }
        Files.writeString(flat, f);
        Files.writeString(leaky, l);
        LaunchResult no = launcher.launch("leak", flat.toString());
        assertEquals(0, no.exitCode(), no.getErrorOutput());
        assertTrue(no.getOutput().contains("NO_LEAK: floor"), no.getOutput());
        LaunchResult yes = launcher.launch("leak", leaky.toString());
        assertEquals(1, yes.exitCode(), yes.getOutput());
        assertTrue(yes.getOutput().matches("(?s).*LEAK: floor grew 9\\d\\.\\d MB/h \\(95 % CI .*"), yes.getOutput());
        Path junk = Files.createTempFile("junk", ".csv");
        Files.writeString(junk, "time,bytes\n1,2\nthree,4\n");
        LaunchResult bad = launcher.launch("leak", junk.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.getErrorOutput().contains(junk + ":3: expected time,bytes with numbers"), bad.getErrorOutput());
    }

    @Test
    void errorsFlagShowsTheStackTrace(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("-e", "run", "--bogus");
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().contains("at picocli."), r.getErrorOutput());
    }
}
