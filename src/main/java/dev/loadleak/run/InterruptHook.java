package dev.loadleak.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM during a run: stop sending, give in-flight requests their grace, wait until
 * what was measured is written, then end the process with {@code exitCode} (the CLI's documented
 * 130, not the JVM's 128 + signal).
 */
final class InterruptHook implements AutoCloseable {
    /** How long the hook waits for the result to be written before it lets the JVM end anyway. */
    private static final long WRITE_WAIT_SECONDS = 10;

    private final CountDownLatch written = new CountDownLatch(1);
    private final Thread hook;

    private InterruptHook(Runnable stop, Runnable flush, int exitCode) {
        hook = new Thread(() -> {
            stop.run();
            try {
                if (written.await(WRITE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    flush.run();
                    Runtime.getRuntime().halt(exitCode);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "loadleak-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static InterruptHook install(Runnable stop, Runnable flush, int exitCode) {
        return new InterruptHook(stop, flush, exitCode);
    }

    /** The result is written (or could not be): a pending signal may end the process now. */
    @Override
    public void close() {
        written.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the result is written
        }
    }
}
