package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Secrets from the environment in a header, the URL query and the body (and a metrics bearer
 * token) never appear in stdout, stderr or any written file. Also exercises a launched process
 * memory source (started, sampled, stopped, its output kept in a log). Packaged app, 127.0.0.1.
 */
class SecretsIT {
    private static final List<String> SECRETS = List.of("s3cr3t-bearer-token-XYZ", "query-key-9876", "body-pass-4242",
            "metrics-token-5555");

    @Test
    void noSecretInAnyOutput() throws Exception {
        try (Packaged.Target target = Packaged.startTarget(List.of())) {
            int port = target.port();
            Path dir = Files.createTempDirectory("secrets");
            Path scenario = dir.resolve("s.yaml");
            Files.writeString(scenario, "name: secrets\ntarget: http://127.0.0.1:" + port + "\n"
                    + "defaults: {headers: {Authorization: \"Bearer ${env:API_TOKEN}\"}}\n"
                    + "phases: [{duration: 3s, rate: 20/s}]\n"
                    + "requests:\n"
                    + "  - {name: q, path: /api/v1/media, query: {key: \"${env:API_KEY}\"}}\n"
                    + "  - {name: b, method: POST, path: /api/v1/media, body: {password: \"${env:DB_PASSWORD}\"}}\n"
                    + "  - {name: bad, path: \"/nowhere?key=${env:API_KEY}\", expect: {status: 200}}\n"
                    + "memory:\n  sources:\n"
                    + "    - {name: heap, type: prometheus, metric: jvm_memory_used_bytes, tokenEnv: METRICS_TOKEN}\n"
                    + "    - {name: sleeper, type: process, launch: \"sleep 60\"}\n"
                    + "criteria: {required: [error_rate < 50%]}\n");
            ProcessBuilder pb = Packaged.process("run", scenario.toString(),
                    "--out", dir.resolve("out").toString());
            pb.environment().put("API_TOKEN", SECRETS.get(0));
            pb.environment().put("API_KEY", SECRETS.get(1));
            pb.environment().put("DB_PASSWORD", SECRETS.get(2));
            pb.environment().put("METRICS_TOKEN", SECRETS.get(3));
            Process run = pb.start();
            byte[] out = run.getInputStream().readAllBytes();
            byte[] err = run.getErrorStream().readAllBytes();
            assertTrue(run.waitFor(60, TimeUnit.SECONDS));
            String stdout = new String(out);
            String stderr = new String(err);
            assertTrue(stdout.contains("verdict:"), stdout + stderr);
            List<String> everything = new ArrayList<>(List.of(stdout, stderr));
            try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    everything.add(Files.readString(f));
                }
            }
            for (String text : everything) {
                for (String secret : SECRETS) {
                    assertFalse(text.contains(secret), "a secret leaked into output");
                }
            }
            String json = Files.readString(dir.resolve("out/result.json"));
            assertTrue(json.contains("\"source\" : \"sleeper\""), json);
            assertTrue(Files.exists(dir.resolve("out/target-sleeper.log")));
            assertTrue(stdout.contains("sleeper (process): "), stdout);
            assertFalse(stdout.contains("sleeper (process): 0 samples"), stdout);
            assertEquals(0, ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").equals("sleep 60")).count(),
                    "the launched process is stopped at the end");
        }
    }
}
