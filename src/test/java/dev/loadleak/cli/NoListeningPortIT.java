package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Only commands that serve open a listening port: checked on the packaged application through
 * /proc (the process's socket inodes against the kernel's table of listening sockets).
 */
class NoListeningPortIT {

    private static Process launch(String... args) throws IOException {
        return Packaged.process(args).start();
    }

    /** Reads lines until one matches, bounded by the process's own end. */
    private static Matcher await(java.io.InputStream in, Pattern p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("the process ended before printing " + p);
    }

    static Set<String> listeningInodes() throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path t = Path.of(table);
            if (!Files.exists(t)) {
                continue;
            }
            for (String line : Files.readAllLines(t)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A")) {
                    inodes.add(f[9]);
                }
            }
        }
        return inodes;
    }

    static boolean listens(long pid) throws IOException {
        Set<String> listening = listeningInodes();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[") && listening.contains(link.substring(8, link.length() - 1))) {
                        return true;
                    }
                } catch (IOException gone) {
                    // the descriptor closed meanwhile
                }
            }
        }
        return false;
    }

    @Test
    void runOpensNoListeningPortWhileTargetDoes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs procfs");
        Process target = launch("target", "--port", "0");
        Process run = null;
        try {
            Matcher m = await(target.getInputStream(), Pattern.compile("listening on http://127.0.0.1:(\\d+)"));
            int port = Integer.parseInt(m.group(1));
            assertTrue(listens(target.pid()), "the target serves, so it listens");

            Path scenario = Files.createTempFile("ports", ".yaml");
            Files.writeString(scenario, "target: http://127.0.0.1:" + port
                    + "\nphases: [{duration: 3s, rate: 20/s}]\nrequests: [{path: /health}]\n");
            Path out = Files.createTempDirectory("ports-out");
            run = launch("run", scenario.toString(), "--out", out.toString());
            await(run.getErrorStream(), Pattern.compile("^running "));
            assertFalse(listens(run.pid()), "`run` must not open a listening port");
            run.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertTrue(run.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, run.exitValue());
        } finally {
            target.destroy();
            target.waitFor(10, TimeUnit.SECONDS);
            if (run != null) {
                run.destroyForcibly();
            }
        }
    }
}
