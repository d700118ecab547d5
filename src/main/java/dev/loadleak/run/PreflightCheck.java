package dev.loadleak.run;

import dev.loadleak.engine.Clock;
import dev.loadleak.metrics.JdkHttp;
import dev.loadleak.result.RunStatus;
import dev.loadleak.scenario.Confinement;
import dev.loadleak.scenario.Scenario;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Before any load: the scenario's health URL must answer 2xx within its wait (polled every
 * 500 ms), or, without a preflight block, the target must accept a TCP connection. Otherwise the
 * run stops with exit 3 and sends nothing.
 */
final class PreflightCheck {
    /** How long a launched target gets to become healthy at least. */
    private static final long LAUNCH_WAIT_NANOS = 30_000_000_000L;

    private PreflightCheck() {
    }

    /**
     * The scenario's preflight: a launched target is first waited for on its own health URL, then
     * the preflight URL must answer 2xx within its wait, or the target must accept a connection.
     */
    static void before(Scenario s, MemoryWiring memory) {
        long wait = s.preflight() != null ? s.preflight().waitNanos() : memory.launched.isEmpty() ? 0 : LAUNCH_WAIT_NANOS;
        for (String health : memory.launchHealthUrls) {
            http(Confinement.resolve(s.target(), health),
                    Math.max(wait, LAUNCH_WAIT_NANOS), s.defaults().insecure(), memory::launchedDied);
        }
        if (s.preflight() != null) {
            http(s.preflight().resolve(s.target()), wait, s.defaults().insecure(), memory::launchedDied);
        } else {
            tcp(s.target(), wait, memory::launchedDied);
        }
    }

    static void http(URI url, long waitNanos, boolean insecure, BooleanSupplier gaveUp) {
        long deadline = Clock.SYSTEM.nanoTime() + waitNanos;
        String last = "no answer";
        boolean answered = false;
        while (true) {
            try {
                JdkHttp.Response r = JdkHttp.get(url, Duration.ofSeconds(5), null, insecure, 64 * 1024);
                if (r.status() / 100 == 2) {
                    return;
                }
                last = "HTTP " + r.status();
                answered = true;
            } catch (IOException | IllegalArgumentException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new RunFailure(RunFailure.Kind.INTERRUPTED, "interrupted during preflight; no load was sent");
            }
            if (gaveUp.getAsBoolean()) {
                throw new RunFailure(RunFailure.Kind.COULD_NOT_RUN, "the launched target exited before it was healthy;"
                        + " see its log; no load was sent", RunStatus.UNHEALTHY);
            }
            if (Clock.SYSTEM.nanoTime() > deadline) {
                throw new RunFailure(RunFailure.Kind.COULD_NOT_RUN, "preflight: " + url + " was never healthy within "
                        + waitNanos / 1_000_000_000L + " s (last: " + last + "); no load was sent",
                        answered ? RunStatus.UNHEALTHY : RunStatus.UNREACHABLE);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunFailure(RunFailure.Kind.INTERRUPTED, "interrupted during preflight; no load was sent");
            }
        }
    }

    static void tcp(URI target, long waitNanos, BooleanSupplier gaveUp) {
        int port = target.getPort() != -1 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        long deadline = Clock.SYSTEM.nanoTime() + waitNanos;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(target.getHost(), port), 5000);
                return;
            } catch (IOException e) {
                if (Clock.SYSTEM.nanoTime() > deadline || gaveUp.getAsBoolean()) {
                    throw new RunFailure(RunFailure.Kind.COULD_NOT_RUN, "target " + target + " is unreachable ("
                            + e.getMessage() + "); no load was sent", RunStatus.UNREACHABLE);
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunFailure(RunFailure.Kind.INTERRUPTED, "interrupted during preflight; no load was sent");
            }
        }
    }
}
