package dev.loadleak.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import picocli.CommandLine;

/**
 * Whether, where and on which port the command about to run serves HTTP, read from the arguments
 * before Quarkus boots (Quarkus reads its HTTP settings at start-up).
 */
record ServerSettings(boolean serves, String host, int port) {
    static final String DEFAULT_HOST = "127.0.0.1";

    static ServerSettings fromArgs(String[] args) {
        try {
            CommandLine.ParseResult pr = new CommandLine(new LoadleakCommand()).parseArgs(args);
            CommandLine.ParseResult sub = pr.subcommand();
            if (sub == null || sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
                return new ServerSettings(false, DEFAULT_HOST, 0);
            }
            String name = sub.commandSpec().name();
            if (name.equals("target")) {
                return new ServerSettings(true, sub.matchedOptionValue("--host", DEFAULT_HOST),
                        sub.matchedOptionValue("--port", TargetCommand.DEFAULT_PORT));
            }
            if (name.equals("serve")) {
                String host = sub.matchedOptionValue("--host", DEFAULT_HOST);
                String tokenEnv = sub.matchedOptionValue("--token-env", (String) null);
                String token = tokenEnv == null ? null : System.getenv(tokenEnv);
                boolean tokenSet = token != null && token.trim().length() >= ServeCommand.MIN_TOKEN_BYTES;
                // never listen beyond loopback without a token, not even for the moment the command needs to refuse
                boolean allowed = ServeCommand.loopback(host) || tokenSet;
                return new ServerSettings(allowed, host, sub.matchedOptionValue("--port", ServeCommand.DEFAULT_PORT));
            }
            if (name.equals("run")) {
                // set by DashboardPort (a custom consumer: the option's value, not its "match", tells)
                Integer port = sub.commandSpec().findOption("--dashboard").getValue();
                return port == null ? new ServerSettings(false, DEFAULT_HOST, 0) : new ServerSettings(true, DEFAULT_HOST, port);
            }
            if (name.equals("demo")) {
                return new ServerSettings(true, DEFAULT_HOST, 0);
            }
        } catch (CommandLine.PicocliException e) {
            // the real parse reports the mistake; nothing serves meanwhile
        }
        return new ServerSettings(false, DEFAULT_HOST, 0);
    }

    /** Sets Quarkus' HTTP properties; returns a problem to report (port in use) or null. */
    String apply() {
        if (!serves) {
            System.setProperty("quarkus.http.host-enabled", "false");
            return null;
        }
        if (port != 0) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                return "cannot listen on " + host + ":" + port + ": " + e.getMessage()
                        + " (is another server using it? try --port 0 for a free port)";
            }
        }
        System.setProperty("quarkus.http.host-enabled", "true");
        System.setProperty("quarkus.http.host", host);
        System.setProperty("quarkus.http.port", Integer.toString(port));
        return null;
    }
}
