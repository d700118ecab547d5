package dev.loadleak.cli;

import dev.loadleak.scenario.Confinement;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.Units;
import dev.loadleak.serve.RunService;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code loadleak serve}: runs over a REST API, followed live, kept in a data directory. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak serve --data /var/lib/loadleak",
            "  LOADLEAK_TOKEN=... loadleak serve --host 0.0.0.0 --token-env LOADLEAK_TOKEN",
            "  curl -X POST --data-binary @scenarios/smoke.yaml http://127.0.0.1:8080/api/v1/runs"},
        description = {"Serve loadleak as a service until Ctrl-C: POST /api/v1/runs (a scenario, YAML or JSON) "
                + "starts a run, GET /api/v1/runs lists them, GET /api/v1/runs/ID is its live snapshot (or "
                + "result.json when done), GET /api/v1/runs/ID/events streams it (Server-Sent Events), DELETE "
                + "/api/v1/runs/ID stops it, GET /api/v1/runs/ID/report.html (result.json, junit.xml, summary.md, "
                + "timeline.csv) serves its files; POST /api/v1/validate checks a scenario. Health: /q/health/live, "
                + "/q/health/ready (not ready at capacity or when the data directory cannot be written).",
            "It binds to 127.0.0.1 unless --host says otherwise, and then refuses to start without a token.",
            "A posted scenario may not run programs, read files or environment variables unless --allow-launch, "
                + "--files-dir and --allow-env allow it; --allow-target limits where load may go."})
public class ServeCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8080;

    @Spec
    CommandSpec spec;
    @Inject
    RunService service;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}); "
            + "any other than a loopback address needs --token-env.")
    String host;
    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--data", defaultValue = "loadleak-data", paramLabel = "DIR",
            description = "Where runs are kept, one directory each (default ${DEFAULT-VALUE}).")
    Path data;
    @Option(names = "--token-env", paramLabel = "NAME",
            description = "The environment variable holding the token every /api request must bear (Authorization: Bearer).")
    String tokenEnv;
    @Option(names = "--max-runs", defaultValue = "1", description = "Runs at once at most (default ${DEFAULT-VALUE}); "
            + "more answer 409.")
    int maxRuns;
    @Option(names = "--max-body", defaultValue = "1MB", description = "Largest scenario accepted (default ${DEFAULT-VALUE}); "
            + "larger answer 413.")
    String maxBody;
    @Option(names = "--event-loops", paramLabel = "N", description = "Event loops each run sends from (default: one per core, half the cores "
            + "when the target is on this machine).")
    int eventLoops;
    @Option(names = "--allow-launch", description = "Let a posted scenario start programs and watch this machine's "
            + "processes (memory sources with launch, pid or pidfile; evidence: classHistogram runs jcmd). Off by default.")
    boolean allowLaunch;
    @Option(names = "--files-dir", paramLabel = "DIR", description = "Let a posted scenario read files (bodyFile, "
            + "multipart, ${csv:…}, pidfile), only inside DIR: no absolute path, no .., no link that leads out. "
            + "Without it, no file is read.")
    Path filesDir;
    @Option(names = "--allow-env", paramLabel = "NAME", split = ",", description = "An environment variable a posted "
            + "scenario may read with ${env:NAME} or tokenEnv (repeat, or separate with commas). None by default.")
    List<String> allowEnv = new ArrayList<>();
    @Option(names = "--allow-target", paramLabel = "REGEX", description = "Only URLs whose origin "
            + "(scheme://host:port, as parsed after a path is put on the target) this regular expression matches whole "
            + "may be loaded or scraped (target, preflight, memory sources, requests, setup), e.g. "
            + "'https?://[^/]*\\.staging\\.example\\.com(:\\d+)?'; redirects are then not followed.")
    String allowTarget;
    @Option(names = "--public-name", paramLabel = "NAME", split = ",", description = "A host name this service "
            + "answers to (e.g. loadleak.ci.example.com behind an ingress); besides IP literals, localhost and the "
            + "--host name, requests naming another Host are refused (421), so that a page cannot rebind a domain to it.")
    List<String> publicNames = new ArrayList<>();

    @Option(names = "--history", paramLabel = "FILE", description = "Record every run this service starts in the "
            + "SQLite history FILE (created if missing; see 'loadleak history'); the dashboard then shows each scenario's "
            + "trend and change points.")
    Path history;
    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label for the runs --history records and "
            + "--output pushes; repeat.")
    Map<String, String> labels;
    @Option(names = "--output", paramLabel = "KIND=URL", description = "Push the figures of every run this service "
            + "starts live, as 'run --output' does: prometheus-rw=URL or otlp=URL; repeat. Set by the operator: a posted "
            + "scenario cannot add one.")
    List<String> outputs = new ArrayList<>();
    @Option(names = "--output-interval", paramLabel = "DURATION", defaultValue = "5s",
            description = "How often --output pushes (default ${DEFAULT-VALUE}; and once at each run's end).")
    String outputInterval = "5s";

    /** What a posted scenario may reach, from the flags; exits 2 on a bad one. */
    Confinement confinement(String tokenEnv) {
        if (tokenEnv != null && allowEnv.contains(tokenEnv)) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--allow-env " + tokenEnv
                    + ": that variable holds the service's own token; a scenario may not read it");
        }
        for (String name : allowEnv) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "--allow-env " + name + ": not a variable name");
            }
        }
        if (filesDir != null && !Files.isDirectory(filesDir)) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--files-dir " + filesDir + ": not a directory");
        }
        Pattern target = null;
        if (allowTarget != null) {
            try {
                target = Pattern.compile(allowTarget);
            } catch (PatternSyntaxException e) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "--allow-target: not a regular expression: "
                        + e.getDescription());
            }
        }
        return Confinement.server(allowLaunch, filesDir, new HashSet<>(allowEnv), target);
    }

    /** The shortest token accepted. */
    static final int MIN_TOKEN_BYTES = 16;

    /** The names requests may give as Host: {@code --public-name}s and a {@code --host} that is a name. */
    Set<String> names() {
        Set<String> out = new HashSet<>();
        for (String n : publicNames) {
            String name = n.trim().toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "--public-name " + n + ": not a host name");
            }
            out.add(name);
        }
        if (host.matches(".*[a-zA-Z].*") && !host.contains(":")) {
            out.add(host.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** The token from {@code --token-env}, or null; exits 2 when it is named but empty or short. */
    static String token(String tokenEnv, Function<String, String> env) {
        if (tokenEnv == null) {
            return null;
        }
        String t = env.apply(tokenEnv);
        if (t == null || t.isBlank()) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--token-env " + tokenEnv
                    + ": the environment variable is unset or empty");
        }
        if (t.trim().getBytes(StandardCharsets.UTF_8).length < MIN_TOKEN_BYTES) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--token-env " + tokenEnv + ": the token is shorter than "
                    + MIN_TOKEN_BYTES + " bytes, which can be guessed; e.g. openssl rand -hex 24");
        }
        return t.trim();
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public Integer call() throws IOException {
        String token = token(tokenEnv, System::getenv);
        if (!loopback(host) && token == null) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "refusing to serve on " + host + " without a token: "
                    + "set one in an environment variable and name it with --token-env (or bind to 127.0.0.1)");
        }
        if (maxRuns < 1) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--max-runs must be at least 1");
        }
        long body;
        try {
            body = Units.parseBytes(maxBody);
        } catch (IllegalArgumentException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--max-body: " + e.getMessage());
        }
        Confinement confinement = confinement(tokenEnv);
        service.configure(new RunService.Config(data.toAbsolutePath(), maxRuns, token, body, VersionProvider.version(),
                Math.max(0, eventLoops), confinement, System::getenv, names()));
        RunOptions.exporters(outputs, outputInterval, labels, "check", "check", Redactor.NONE); // a mistake exits 2 now
        service.exports((run, scenario, redactor) -> RunOptions.exporters(outputs, outputInterval, labels, run, scenario,
                redactor));
        try {
            service.history(history, HistoryCommand.labels(labels, System::getenv));
        } catch (java.sql.SQLException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "--history " + history + ": not a loadleak history ("
                    + e.getMessage() + ")");
        }
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + HttpPort.actual();
        spec.commandLine().getOut().println("loadleak serve listening on " + url + " (runs kept in " + data.toAbsolutePath()
                + (token == null ? "" : "; /api needs the bearer token of " + tokenEnv)
                + (history == null ? "" : "; each run recorded in the history " + history.toAbsolutePath())
                + (outputs.isEmpty() ? "" : "; each run pushed to " + String.join(", ", outputs.stream()
                        .map(o -> o.replaceAll("=.*", "")).toList()))
                + "); Ctrl-C stops it");
        spec.commandLine().getOut().flush();
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }
}
