package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.ScriptedTransport;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A transport that cannot be made at start-up ends the run with exit 3, one line and a written result: never a hang. */
class StartupFailureTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    @Timeout(60)
    void aTransportFailingAtStartUpEndsTheRunWithExit3AndAResult() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Scenario s = ScenarioLoader.parse("fail.yaml", "target: http://127.0.0.1:" + target.getLocalPort() + "\n"
                    + "phases: [{duration: 10s, rate: 10/s}]\nrequests: [{path: /}]\n"
                    + "criteria: {required: [error_rate < 1%]}\n");
            Path dir = Files.createTempDirectory("startup-failure");
            RunOptions opts = new RunOptions();
            opts.out = dir;
            opts.quiet = true;
            opts.eventLoops = 2;
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long t0 = System.nanoTime();
            int code = RunLauncher.launch(vertx, ScriptedTransport.failing("no TLS context for this JDK"), s, opts,
                    new PrintWriter(out, true), new PrintWriter(err, true));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(ExitCodes.COULD_NOT_RUN, code, out + "\n" + err);
            assertTrue(seconds < 10, "ended in " + seconds + " s, before the planned 10 s of load");
            long errorLines = err.toString().lines().filter(l -> l.startsWith("error:")).count();
            assertEquals(1, errorLines, err.toString());
            assertTrue(err.toString().contains("error: the run failed: engine stripe 0 failed: "
                    + "java.lang.IllegalStateException: no TLS context for this JDK"), err.toString());
            String json = Files.readString(dir.resolve("result.json"));
            assertTrue(json.contains("\"status\" : \"failed\""), json);
            assertTrue(json.contains("\"failure\" : \"engine stripe 0 failed: java.lang.IllegalStateException: no TLS"), json);
            assertTrue(json.contains("\"verdict\" : \"NO_GO\""), json);
            assertTrue(out.toString().contains("the run failed: engine stripe 0 failed"), out.toString());
            assertTrue(Files.exists(dir.resolve("junit.xml")), "the reports are written too");
        }
    }
}
