package dev.loadleak.demoserver;

import java.io.IOException;

/**
 * What else this process may be: the built-in target shares its HTTP server with loadleak's own service
 * ({@code loadleak serve}), and while that serves, {@code /metrics} and the health checks answer for it. The
 * service implements this; the target knows nothing more of it.
 */
public interface HostedService {
    /** Whether the service is serving in this process now. */
    boolean serving();

    /** The service's metrics in the Prometheus text format, while it serves. */
    String metricsText() throws IOException;
}
