package dev.loadleak.cli;

import dev.loadleak.scenario.Units;
import dev.loadleak.demoserver.TargetKnobs;
import dev.loadleak.demoserver.TargetState;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code loadleak target}: the built-in MediaNest-like demo API, with knobs to misbehave. */
@Command(name = "target", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak target --port 8080 --latency 5ms±2ms", "  loadleak target --port 0 --leak 2KB --stall 1s/10s"},
        description = {"Serve the built-in demo API (a MediaNest-like media API) until Ctrl-C.",
            "Routes: GET/POST /api/v1/media, GET /api/v1/media/{id}, GET /health, GET /metrics, /q/health/live, "
                + "/q/health/ready."})
public class TargetCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8080;

    @Spec
    CommandSpec spec;
    @Inject
    TargetState state;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--latency", description = "Added latency per API response, e.g. 5ms or 5ms±2ms.")
    String latency;
    @Option(names = "--error-rate", defaultValue = "0", description = "Fraction of API requests answered with 500, e.g. 0.01.")
    double errorRate;
    @Option(names = "--leak", description = "Bytes retained for ever per API request, e.g. 2KB.")
    String leak;
    @Option(names = "--leak-route", paramLabel = "ROUTE",
            description = "Leak only on this route, e.g. \"POST /api/v1/media\" (default: every API route).")
    String leakRoute;
    @Option(names = "--session-leak", description = "Keep every login's session for ever (as express-session's "
            + "MemoryStore does); without it the newest 1000 are kept.")
    boolean sessionLeak;
    @Option(names = "--leak-per-connection", paramLabel = "SIZE",
            description = "Bytes retained for ever per Socket.IO join of /media, e.g. 20KB.")
    String leakPerConnection;
    @Option(names = "--stall", description = "Stop answering for STALL in every PERIOD, e.g. 1s/10s.")
    String stall;
    @Option(names = "--parent-pid", hidden = true, description = "Exit when this process ends (used by demo).")
    long parentPid;
    @Option(names = "--items", defaultValue = "500", description = "Media items 1..N that exist (default ${DEFAULT-VALUE}).")
    int items;

    @Override
    public Integer call() {
        TargetKnobs knobs = knobs();
        state.configure(knobs);
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + HttpPort.actual();
        spec.commandLine().getOut().println("loadleak target listening on " + url + " (" + knobs + "); Ctrl-C stops it");
        spec.commandLine().getOut().flush();
        if (parentPid > 0) {
            // started by 'demo': never outlive it, however it ends (even SIGKILL)
            ProcessHandle.of(parentPid).ifPresentOrElse(h -> h.onExit().thenRun(() -> Quarkus.asyncExit(0)),
                    () -> Quarkus.asyncExit(0));
        }
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }

    TargetKnobs knobs() {
        try {
            long[] lat = latency == null ? new long[] {0, 0} : TargetKnobs.parseLatency(latency);
            long[] st = stall == null ? new long[] {0, 0} : TargetKnobs.parseStall(stall);
            long leakBytes = leak == null ? 0 : Units.parseBytes(leak);
            if (leakBytes > 64L * 1024 * 1024) {
                throw new IllegalArgumentException("--leak above 64MB per request would exhaust memory in seconds");
            }
            long perConnection = leakPerConnection == null ? 0 : Units.parseBytes(leakPerConnection);
            if (leakBytes > 64L * 1024 * 1024 || perConnection > 64L * 1024 * 1024) {
                throw new IllegalArgumentException("a leak above 64MB per request or connection would exhaust memory "
                        + "in seconds");
            }
            return new TargetKnobs(lat[0], lat[1], errorRate, leakBytes, st[0], st[1], items, leakRoute, sessionLeak,
                    perConnection);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
