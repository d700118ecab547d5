package dev.loadleak.demoserver;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.management.ManagementFactory;
import java.util.Map;

/** {@code GET /health}: the API's own health, as MediaNest exposes it. */
@Path("/health")
public class HealthResource {
    @Inject
    TargetState state;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> health() {
        return state.plain(() -> Response.ok(Map.of("status", "ok", "uptimeSeconds",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000)).build());
    }
}
