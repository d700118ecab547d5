package dev.loadleak.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Builds the picocli command line with loadleak's error handling and exit codes. */
public final class Cli {
    private Cli() {
    }

    public static CommandLine create(CommandLine.IFactory factory) {
        return create(factory, new String[0]);
    }

    static CommandLine create(CommandLine.IFactory factory, String[] args) {
        CommandLine cl = new CommandLine(LoadleakCommand.class, factory);
        Terminal.colorAllowed = colorAllowed(args, System.getenv("NO_COLOR"));
        if (!Terminal.colorAllowed) {
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        }
        cl.setParameterExceptionHandler(Cli::usageError);
        cl.setExecutionExceptionHandler(Cli::failure);
        return cl;
    }

    public static int execute(CommandLine.IFactory factory, String... args) {
        return create(factory, args).execute(args);
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
        err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        if (wantsStackTrace(args)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    private static int failure(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        int code;
        String message;
        if (ex instanceof LoadleakException le) {
            code = le.exitCode();
            message = le.getMessage();
        } else {
            code = ExitCodes.COULD_NOT_RUN;
            message = "internal error: " + ex + " (run again with -e for the stack trace, and please report it)";
        }
        err.println(cmd.getColorScheme().errorText("error: " + message));
        if (wantsStackTrace(parsed.originalArgs().toArray(new String[0]))) {
            StringWriter sw = new StringWriter();
            ex.printStackTrace(new PrintWriter(sw));
            err.print(sw);
        }
        err.flush();
        return code;
    }

    /** No colour with {@code --no-color} or a non-empty {@code NO_COLOR} (https://no-color.org). */
    static boolean colorAllowed(String[] args, String noColorEnv) {
        if (noColorEnv != null && !noColorEnv.isEmpty()) {
            return false;
        }
        for (String a : args) {
            if (a.equals("--no-color")) {
                return false;
            }
        }
        return true;
    }

    static boolean wantsStackTrace(String[] args) {
        for (String a : args) {
            if (a.equals("-e") || a.equals("--errors")) {
                return true;
            }
        }
        return false;
    }
}
