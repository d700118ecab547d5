package dev.loadleak.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point. Before Quarkus boots, {@link ServerSettings} reads the arguments to decide whether
 * this command serves HTTP: only {@code target} and {@code demo} do, every other command runs with
 * Quarkus' HTTP server disabled and opens no listening port.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    /** Set when this process is Quarkus' AOT-cache training run (see {@link AotTraining}). */
    private static boolean training;

    @Inject
    CommandLine.IFactory factory;
    @Inject
    jakarta.enterprise.inject.Instance<io.vertx.core.Vertx> vertx;

    public static void main(String... args) {
        if (AotTraining.requested()) {
            // Quarkus would boot and exit at once; loadleak trains the cache with a real workload instead
            training = true;
            System.clearProperty(AotTraining.PROPERTY);
        }
        ServerSettings settings = ServerSettings.fromArgs(args);
        String problem = settings.apply();
        if (problem != null) {
            PrintWriter err = new PrintWriter(System.err, true);
            CommandLine.Help.Ansi ansi = Cli.colorAllowed(args, System.getenv("NO_COLOR")) ? CommandLine.Help.Ansi.AUTO
                    : CommandLine.Help.Ansi.OFF;
            err.println(ansi.string("@|red,bold error:|@ @|red " + problem + "|@"));
            System.exit(ExitCodes.COULD_NOT_RUN);
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) throws Exception {
        if (training) {
            return AotTraining.train(factory, vertx.get());
        }
        return Cli.execute(factory, args);
    }
}
