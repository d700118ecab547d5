package dev.loadleak.cli;

import dev.loadleak.export.LiveExporter;
import dev.loadleak.result.Shard;
import dev.loadleak.run.IoTransport;
import dev.loadleak.run.ResultWriter;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.Units;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of the commands that run load ({@code run}, {@code demo}). */
public class RunOptions {
    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory for result.json and the reports (default loadleak-results/<UTC timestamp>).")
    Path out;
    @Option(names = {"-q", "--quiet"}, description = "No live progress lines.")
    boolean quiet;
    @Option(names = "--strict", description = "Exit 1 on CONDITIONAL GO too (target criteria failed).")
    boolean strict;
    @Option(names = "--event-loops", paramLabel = "N", description = "Event loops that send (default: one per core, half the cores "
            + "when the target is on this machine).")
    int eventLoops;
    @Option(names = "--transport", paramLabel = "KIND", converter = IoTransportConverter.class,
            description = "Netty's I/O transport for the requests: auto (default: the fastest that works here), "
                    + "io_uring, epoll or nio. One that is refused (io_uring often is, in containers) falls back to "
                    + "epoll, then nio, and the start line says so.")
    IoTransport transport = IoTransport.AUTO;
    @Option(names = "--shard", paramLabel = "I/N", converter = ShardConverter.class,
            description = "Run shard I (0-based) of N: 1/N of the load (rate, users and connections divided, disjoint "
                    + "${seq}); only shard 0 samples memory; combine the results with 'loadleak merge'. The exit code "
                    + "then says whether the shard ran (0), not the verdict, which is the merged run's.")
    Shard shard = Shard.WHOLE;
    @Option(names = "--prewarm", paramLabel = "DURATION", description = "Before the load, warm loadleak's own JIT for "
            + "DURATION (e.g. 2s), and on while its compiler is still busy (at most 3 x DURATION): the scenario's "
            + "requests at the maximum rate against a sink on 127.0.0.1, nothing sent to the target, nothing "
            + "recorded; the run then starts at full speed. For short max-rate runs.")
    String prewarm;
    @Option(names = "--history", paramLabel = "FILE", description = "Record this run in the SQLite history FILE "
            + "(created if missing; see 'loadleak history'), labelled with --label and the CI's commit and build variables.")
    Path history;
    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label for --history and --output series "
            + "(commit=…, branch=…); repeat.")
    Map<String, String> labels;
    @Option(names = "--output", paramLabel = "KIND=URL", description = "Push the run's figures live while it runs: "
            + "prometheus-rw=URL (Prometheus remote write 1.0, e.g. http://127.0.0.1:9090/api/v1/write) or otlp=URL "
            + "(OTLP/HTTP protobuf metrics, e.g. http://127.0.0.1:4318/v1/metrics); repeat.")
    List<String> outputs = new ArrayList<>();
    @Option(names = "--output-interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "How often --output pushes (default ${DEFAULT-VALUE}; and once at the end).")
    String outputInterval = "5s";

    /** The {@code --output} exporters of a run labelled {@code run}; a mistake exits 2. */
    List<LiveExporter> exporters(String run, String scenario, Redactor redactor) {
        return exporters(outputs, outputInterval, labels, run, scenario, redactor);
    }

    /**
     * The exporters of {@code --output KIND=URL}s (for {@code run}, and for each run {@code serve}
     * starts), every series labelled job, run, scenario and {@code labels}; a mistake exits 2.
     */
    static List<LiveExporter> exporters(List<String> outputs, String outputInterval, Map<String, String> labels,
                                        String run, String scenario, Redactor redactor) {
        if (outputs == null || outputs.isEmpty()) {
            return List.of();
        }
        long every;
        try {
            every = Units.parseDurationNanos(outputInterval);
        } catch (IllegalArgumentException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--output-interval " + outputInterval + ": "
                    + e.getMessage());
        }
        if (every < 100_000_000L) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--output-interval must be at least 100ms");
        }
        List<LiveExporter> out = new ArrayList<>();
        for (String o : outputs) {
            int eq = o.indexOf('=');
            String kind = eq < 0 ? o : o.substring(0, eq);
            LiveExporter.Format format = LiveExporter.Format.of(kind);
            if (format == null) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "--output " + kind + ": unknown; use prometheus-rw=URL "
                        + "or otlp=URL");
            }
            URI url;
            try {
                url = URI.create(o.substring(eq + 1).trim());
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
                url = null;
            }
            if (eq < 0 || url == null || url.getHost() == null || url.getUserInfo() != null
                    || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "--output " + kind + ": give the receiver's "
                        + "http(s) URL, e.g. prometheus-rw=http://127.0.0.1:9090/api/v1/write or "
                        + "otlp=http://127.0.0.1:4318/v1/metrics");
            }
            Map<String, String> l = new LinkedHashMap<>();
            l.put("job", "loadleak");
            l.put("run", run);
            l.put("scenario", scenario);
            if (labels != null) {
                l.putAll(labels);
            }
            out.add(new LiveExporter(format, url, Duration.ofNanos(every), l, 120, redactor, VersionProvider.version()));
        }
        return out;
    }

    /** {@code --prewarm} in nanoseconds (0: none); a mistake exits 2. */
    long prewarmNanos() {
        if (prewarm == null) {
            return 0;
        }
        try {
            long n = Units.parseDurationNanos(prewarm);
            if (n < 0 || n > 60_000_000_000L) {
                throw new IllegalArgumentException("between 0 and 60s, e.g. 2s");
            }
            return n;
        } catch (IllegalArgumentException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--prewarm " + prewarm + ": " + e.getMessage());
        }
    }

    /** The output directory: {@code --out}, else {@code loadleak-results/<UTC time>} (fixed at the first call). */
    Path outDir() {
        if (out == null) {
            out = ResultWriter.defaultOutDir(Instant.now());
        }
        return out;
    }

    /** Reads {@code I/N}; a mistake is a usage error (exit 2) that says how to write it. */
    public static final class ShardConverter implements picocli.CommandLine.ITypeConverter<Shard> {
        @Override
        public Shard convert(String value) {
            try {
                return Shard.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code --transport}'s word, in any case; a wrong one is a usage error (exit 2) that lists the right ones. */
    static final class IoTransportConverter implements CommandLine.ITypeConverter<IoTransport> {
        @Override
        public IoTransport convert(String value) {
            IoTransport t = IoTransport.of(value);
            if (t == null) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a transport: auto, io_uring, "
                        + "epoll or nio");
            }
            return t;
        }
    }
}
