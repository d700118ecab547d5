package dev.loadleak.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's target as a process of its own: the same executable (the jar on this JVM, or the
 * native executable) running {@code loadleak target} with a small heap, so that it collects often
 * and its post-GC heap is its own, not mixed with the load generator's garbage. It exits with the
 * demo however the demo ends ({@code --parent-pid}).
 */
final class DemoTarget implements AutoCloseable {
    /** Its heap: small, with a small young generation, so that 30 s hold dozens of collections. */
    static final List<String> HEAP = List.of("-Xmx96m", "-Xmn8m");
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    private final Process process;
    final URI url;
    final Path log;

    private DemoTarget(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * The command that starts this same build as another process, or null when this is not a
     * packaged build (tests, dev mode): the demo then serves its target in-process.
     */
    static List<String> self() {
        if ("runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"))) {
            return ProcessHandle.current().info().command().map(c -> {
                List<String> cmd = new ArrayList<>(List.of(c));
                cmd.addAll(HEAP);
                return cmd;
            }).orElse(null);
        }
        String cp = System.getProperty("java.class.path", "");
        if (!cp.endsWith(".jar") || cp.contains(java.io.File.pathSeparator)) {
            return null;
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(HEAP);
        cmd.add("-XX:+UseG1GC");
        cmd.addAll(List.of("-jar", cp));
        return cmd;
    }

    /** Starts {@code self} as {@code loadleak target} with {@code knobs}; waits (at most 60 s) until it listens. */
    static DemoTarget start(List<String> self, List<String> knobs, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(self);
        cmd.addAll(List.of("target", "--port", "0", "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        cmd.addAll(knobs);
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return new DemoTarget(p, URI.create(m.group(1)), log);
            }
            if (!p.isAlive()) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        p.destroyForcibly();
        throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "the demo target did not start; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
