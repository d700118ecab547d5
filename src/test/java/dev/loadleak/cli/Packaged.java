package dev.loadleak.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged application as the integration tests start it: the native executable when the
 * build is native ({@code -Dnative}, which sets {@code loadleak.it.native}), else the JVM's
 * {@code quarkus-run.jar}. JVM options that only a HotSpot JVM knows ({@code -XX:...}) are left
 * out for the native executable; heap sizes ({@code -Xmx}, {@code -Xmn}) apply to both.
 */
final class Packaged {
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();

    private Packaged() {
    }

    static boolean isNative() {
        return Boolean.getBoolean("loadleak.it.native");
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
            cmd.addAll(jvmOptions);
            cmd.add("-jar");
            cmd.add(JAR.toString());
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    static List<String> command(String... args) {
        return command(List.of(), args);
    }

    /** The same as one shell command line (for a scenario's {@code launch:}); paths have no spaces here. */
    static String commandLine(String... args) {
        return String.join(" ", command(args));
    }

    static Process start(String... args) throws java.io.IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true).start();
    }
}
