package dev.loadleak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test service of src/test/node run as a child process on 127.0.0.1: started with its
 * environment, ready once it prints "listening on PORT", its later output drained, stopped on close.
 */
public final class NodeService implements AutoCloseable {
    private final Process process;
    private final int port;

    private NodeService(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether {@code npm ci} has installed {@code module} in the service folder {@code dir} (.ci/run does). */
    public static boolean installed(Path dir, String module) {
        return Files.isDirectory(dir.resolve("node_modules").resolve(module));
    }

    /** Starts {@code script} with {@code env} added to this process's environment; waits until it listens. */
    public static NodeService start(Path script, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening on ")) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " did not start: it said " + line);
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "node-output");
        drain.setDaemon(true);
        drain.start();
        return new NodeService(p, Integer.parseInt(line.substring("listening on ".length()).trim()));
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
