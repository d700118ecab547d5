package dev.loadleak.serve;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of {@code loadleak serve}: ready while a run can be accepted (below {@code --max-runs})
 * and the data directory is writable; not ready at capacity. Up whenever the process does not serve.
 */
@Readiness
@ApplicationScoped
public class ServiceHealth implements HealthCheck {
    @Inject
    RunService service;

    @Override
    public HealthCheckResponse call() {
        if (!service.serving()) {
            return HealthCheckResponse.up("loadleak-service");
        }
        boolean writable = service.writable();
        long active = service.active();
        boolean room = active < service.config().maxRuns();
        return HealthCheckResponse.named("loadleak-service").status(writable && room).withData("runs", active)
                .withData("maxRuns", service.config().maxRuns()).withData("dataWritable", writable).build();
    }
}
