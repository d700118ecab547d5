package dev.loadleak.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM target's heap by class, from the machine's {@code jcmd <pid> GC.class_histogram} (which
 * collects first, so the figures are what is live): instances and bytes per class.
 */
public final class ClassHistograms {
    /** {@code   1:          7193         332264  [B (java.base@17.0.15)} */
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s+\\(.*\\))?\\s*$");
    private static final long TIMEOUT_SECONDS = 60;

    private ClassHistograms() {
    }

    /** Why a histogram could not be taken. */
    public static final class HistogramException extends Exception {
        public HistogramException(String message) {
            super(message, null, false, false);
        }
    }

    /** The machine's jcmd: this JVM's own, else the first on PATH; null when there is none. */
    public static Path jcmd() {
        Path own = Path.of(System.getProperty("java.home", ""), "bin", "jcmd");
        if (Files.isExecutable(own)) {
            return own;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "jcmd");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Class name to {instances, bytes}, in jcmd's order (largest first). */
    public static Map<String, long[]> take(Path jcmd, long pid) throws HistogramException {
        return parse(run(jcmd, pid, "GC.class_histogram"), pid);
    }

    /** Checks that {@code pid} is a JVM jcmd can talk to (before any load is sent). */
    public static void check(Path jcmd, long pid) throws HistogramException {
        run(jcmd, pid, "VM.version");
    }

    static Map<String, long[]> parse(String out, long pid) throws HistogramException {
        Map<String, long[]> byClass = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                byClass.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        if (byClass.isEmpty()) {
            throw new HistogramException("jcmd " + pid + " GC.class_histogram printed no class rows");
        }
        return byClass;
    }

    static String run(Path jcmd, long pid, String command) throws HistogramException {
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new HistogramException("jcmd " + pid + " " + command + " did not answer within " + TIMEOUT_SECONDS
                        + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                String why = text.lines().filter(l -> !l.isBlank() && !l.startsWith(pid + ":")).findFirst().orElse("");
                throw new HistogramException("pid " + pid + " is not a JVM jcmd can attach to (" + why.trim() + ")");
            }
            return text;
        } catch (IOException e) {
            throw new HistogramException("cannot run " + jcmd + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistogramException("interrupted while jcmd ran");
        }
    }
}
