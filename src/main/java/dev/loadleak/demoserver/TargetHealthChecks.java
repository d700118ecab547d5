package dev.loadleak.demoserver;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** SmallRye Health checks behind {@code /q/health/live} and {@code /q/health/ready}. */
public final class TargetHealthChecks {
    private TargetHealthChecks() {
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        HostedService service;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up(service.serving() ? "loadleak-service" : "loadleak-target");
        }
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        TargetState state;
        @Inject
        HostedService service;

        @Override
        public HealthCheckResponse call() {
            if (service.serving()) { // the built-in target's routes are off: its check would only mislead
                return HealthCheckResponse.named("media-api").up().withData("routes", "off while serving").build();
            }
            return HealthCheckResponse.named("media-api").up().withData("items", state.knobs().items()).build();
        }
    }
}
