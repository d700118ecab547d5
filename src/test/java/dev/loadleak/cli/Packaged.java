package dev.loadleak.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged application as the integration tests start it: the native executable when the
 * build is native ({@code -Dnative}, which sets {@code loadleak.it.native}), else the JVM's
 * {@code quarkus-run.jar}. JVM options that only a HotSpot JVM knows ({@code -XX:...}) are left
 * out for the native executable; heap sizes ({@code -Xmx}, {@code -Xmn}) apply to both. A build
 * with {@code -Daot} (JDK 25+) runs the JVM with the AOT cache Quarkus trained at build time.
 */
final class Packaged {
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();

    private Packaged() {
    }

    static boolean isNative() {
        return Boolean.getBoolean("loadleak.it.native");
    }

    /** Whether the build made an AOT cache ({@code -Daot}, JDK 25+) that the JVM runs must use. */
    static boolean isAot() {
        return Boolean.getBoolean("loadleak.it.aot") && !isNative();
    }

    static Path aotCache() {
        Path p = JAR.resolveSibling("app.aot");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("built with -Daot, but there is no AOT cache at " + p);
        }
        return p;
    }

    static Path nativeExecutable() {
        Path p = Path.of(System.getProperty("native.image.path", "")).toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("native build, but no native executable at " + p);
        }
        return p;
    }

    /** The command line that runs loadleak with {@code args}. */
    static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        if (isNative()) {
            cmd.add(nativeExecutable().toString());
            jvmOptions.stream().filter(o -> !o.startsWith("-XX:")).forEach(cmd::add);
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (isAot()) {
                cmd.add("-XX:AOTMode=on"); // a cache the JVM cannot use is an error, not a silent slow start
                cmd.add("-XX:AOTCache=" + aotCache());
            }
            cmd.addAll(jvmOptions);
            cmd.add("-jar");
            cmd.add(JAR.toString());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * A process builder for {@link #command}: with an AOT cache, in the application's directory,
     * because the cache records the class path as Quarkus trained it ({@code quarkus-run.jar},
     * relative) and the JVM refuses it from anywhere else. Tests pass absolute paths.
     */
    static ProcessBuilder process(List<String> jvmOptions, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(jvmOptions, args));
        if (isAot()) {
            pb.directory(JAR.getParent().toFile());
        }
        return pb;
    }

    static ProcessBuilder process(String... args) {
        return process(List.of(), args);
    }

    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** The same as one shell command line (for a scenario's {@code launch:}); paths have no spaces here. */
    static String commandLine(String... args) {
        return String.join(" ", command(args));
    }

    static Process start(String... args) throws java.io.IOException {
        return process(args).redirectErrorStream(true).start();
    }

    /** The built-in target in its own process, on a free port; {@link #close} stops it. */
    record Target(Process process, int port) implements AutoCloseable {
        String url() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * Starts {@code loadleak target --port 0 KNOBS...} with {@code jvmOptions}, waits for the URL it
     * prints, and keeps draining its output so that it never blocks on a full pipe.
     */
    static Target startTarget(List<String> jvmOptions, String... knobs) throws java.io.IOException {
        List<String> args = new ArrayList<>(List.of("target", "--port", "0"));
        args.addAll(List.of(knobs));
        Process p = process(jvmOptions, args.toArray(new String[0])).redirectErrorStream(true).start();
        java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("listening on http://127.0.0.1:(\\d+)");
        String line;
        while ((line = r.readLine()) != null) {
            java.util.regex.Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        r.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the target went away
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Target(p, Integer.parseInt(m.group(1)));
            }
        }
        p.destroy();
        throw new IllegalStateException("the target did not start");
    }
}
