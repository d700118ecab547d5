package dev.loadleak.cli;

/** An expected failure with its exit code: printed as a short red message, no stack trace. */
public final class LoadleakException extends RuntimeException {
    private final int exitCode;

    public LoadleakException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public LoadleakException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
