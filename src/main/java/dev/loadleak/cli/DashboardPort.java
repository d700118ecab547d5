package dev.loadleak.cli;

import java.util.Stack;
import picocli.CommandLine;

/**
 * Reads {@code --dashboard[=PORT]}: a port when one follows (attached or as the next argument),
 * else 0 (a free port), so that {@code run --dashboard scenario.yaml} does not take the scenario
 * for the port.
 */
final class DashboardPort implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, CommandLine.Model.ArgSpec argSpec,
                                  CommandLine.Model.CommandSpec spec) {
        if (!args.isEmpty() && args.peek().matches("\\d{1,5}")) {
            int port = Integer.parseInt(args.pop());
            if (port > 65535) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--dashboard: " + port + " is not a port");
            }
            argSpec.setValue(port);
        } else {
            argSpec.setValue(0);
        }
    }
}
