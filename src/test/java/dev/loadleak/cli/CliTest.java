package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    @Launch(value = {"run", "--no-such-flag", "x.yaml"}, exitCode = 2)
    void usageMistakeIsShortWithAPointerToHelp(LaunchResult r) {
        assertTrue(r.getErrorOutput().contains("error: Unknown option: '--no-such-flag'"), r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains("see 'loadleak run --help'"), r.getErrorOutput());
        assertTrue(!r.getErrorOutput().contains("at picocli."), "no stack trace without -e");
    }

    @Test
    void invalidScenarioListsEveryProblemAndExits2(QuarkusMainLauncher launcher) throws IOException {
        Path f = Files.createTempFile("bad", ".yaml");
        Files.writeString(f, "target: ftp://x\nphases: [{duration: 10s, rate: 5/min}]\nrequests: [{pth: /a}]\n");
        LaunchResult r = launcher.launch("run", f.toString());
        assertEquals(2, r.exitCode());
        String err = r.getErrorOutput();
        assertTrue(err.contains(f + ":1:9: target: \"ftp://x\" is not an http(s) URL"), err);
        assertTrue(err.contains(f + ":2:32: phases[0].rate: \"5/min\" is not a rate"), err);
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
        assertTrue(!Files.exists(out.resolve("result.json")));
    }

    @Test
    void unwritableOutputIsInvalidInput(QuarkusMainLauncher launcher) throws IOException {
        Path file = Files.createTempFile("not-a-dir", ".txt");
        LaunchResult r = launcher.launch("run", "scenarios/demo.yaml", "--out", file.resolve("sub").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().contains("cannot write results to"), r.getErrorOutput());
    }

    @Test
    void demoRunsAgainstTheInProcessTargetAndWritesAResult(QuarkusMainLauncher launcher) throws IOException {
        Path out = Files.createTempDirectory("demo");
        LaunchResult r = launcher.launch("demo", "--duration", "3s", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.getErrorOutput());
        String o = r.getOutput();
        assertTrue(o.contains("completed after 3.0 s"), o);
        assertTrue(o.contains("requests: 540, 540 ok, 0 failed"), o);
        assertTrue(o.contains("PASS required p95 < 100ms"), o);
        assertTrue(o.contains("verdict: "), o);
        assertTrue(r.getErrorOutput().contains("demo target listening on http://127.0.0.1:"), r.getErrorOutput());
        String json = Files.readString(out.resolve("result.json"));
        assertTrue(json.contains("\"schemaVersion\" : 1"), json);
        assertTrue(json.contains("\"histograms\""), json);
    }

    @Test
    void errorsFlagShowsTheStackTrace(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("-e", "run", "--bogus");
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().contains("at picocli."), r.getErrorOutput());
    }
}
