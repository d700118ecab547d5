package dev.loadleak.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.scenario.Units;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongSupplier;

/** The memory probes: Prometheus metric, process RSS, JSON pointer. */
public final class Probes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Probes() {
    }

    /** Sums the series of {@code metric} whose labels include {@code labels}. */
    public static MemoryProbe prometheus(HttpScraper scraper, URI uri, String token, String metric,
                                         Map<String, String> labels) {
        return new PrometheusPage(scraper, uri, token).fetching(metric, labels);
    }

    /** A number, or text such as "12MB", at a JSON pointer. */
    public static MemoryProbe json(HttpScraper scraper, URI uri, String pointer) {
        return () -> {
            JsonNode n;
            try {
                n = JSON.readTree(scraper.fetch(uri, null)).at(pointer);
            } catch (IOException e) {
                throw new MemoryProbe.ProbeException("not JSON from " + uri);
            }
            if (n.isMissingNode() || n.isNull()) {
                throw new MemoryProbe.ProbeException("nothing at " + pointer + " in " + uri);
            }
            if (n.isNumber()) {
                return n.asDouble();
            }
            try {
                return Units.parseBytes(n.asText());
            } catch (IllegalArgumentException e) {
                throw new MemoryProbe.ProbeException(pointer + " is \"" + n.asText() + "\", not a size");
            }
        };
    }

    /** VmRSS of the process whose pid {@code pid} gives at each sample (it may change across restarts). */
    public static MemoryProbe processRss(LongSupplier pid, Path proc) {
        return () -> {
            long p = pid.getAsLong();
            if (p <= 0) {
                throw new MemoryProbe.ProbeException("no process to sample (pid unknown)");
            }
            try {
                for (String line : Files.readAllLines(proc.resolve(Long.toString(p)).resolve("status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                    }
                    if (exitedState(line)) {
                        throw new MemoryProbe.ProbeException("process " + p + " has exited (a zombie, not yet reaped)");
                    }
                }
                // A user process loses its VmRSS line when it releases its memory on the way out, a moment before
                // it becomes a zombie; only kernel threads have none all along.
                throw new MemoryProbe.ProbeException("process " + p + " has no VmRSS: it is exiting (its memory is "
                        + "released), or it is a kernel thread");
            } catch (NoSuchFileException e) {
                throw new MemoryProbe.ProbeException("process " + p + " is gone");
            } catch (IOException | NumberFormatException e) {
                throw new MemoryProbe.ProbeException("cannot read /proc/" + p + "/status: " + e.getMessage());
            }
        };
    }

    /** Whether a line of /proc/PID/status is a State of a process that has exited (Z zombie, X dead). */
    static boolean exitedState(String line) {
        String state = line.startsWith("State:") ? line.substring(6).strip() : "";
        return state.startsWith("Z") || state.startsWith("X");
    }

    /** VmRSS of a process loadleak launched; once it has exited, each sample is a gap saying how it ended. */
    public static MemoryProbe launchedRss(LaunchedProcess lp, Path proc) {
        MemoryProbe rss = processRss(lp::pid, proc);
        return () -> {
            String ended = lp.ended();
            if (ended != null) {
                throw new MemoryProbe.ProbeException(ended);
            }
            try {
                return rss.sample();
            } catch (MemoryProbe.ProbeException e) {
                // it may have ended between the two looks: then say how, as every later sample will
                String since = lp.ended();
                throw since != null ? new MemoryProbe.ProbeException(since) : e;
            }
        };
    }

    /** The pid in a pidfile, read at each sample; 0 when it cannot be read. */
    public static LongSupplier pidFile(Path file) {
        return () -> {
            try {
                return Long.parseLong(Files.readString(file).trim());
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        };
    }
}
