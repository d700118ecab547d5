package dev.loadleak.serve;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /}: the live dashboard of {@code loadleak serve} (one self-contained page: no CDN, no
 * library; charts are inline SVG drawn by the page's own script). Start a run, follow it live
 * (throughput and errors, corrected p50/p95/p99, the target's memory with its post-GC floor and
 * the leak trend with its interval, progress and ETA), stop it, see its verdict and report.
 */
@Path("/")
public class DashboardResource {
    @Inject
    RunService service;

    private static volatile String page;

    @GET
    @Produces("text/html; charset=utf-8")
    public String index() throws IOException {
        if (!service.serving()) {
            throw new NotFoundException();
        }
        String p = page;
        if (p == null) {
            try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/index.html")) {
                if (in == null) {
                    throw new IOException("dashboard/index.html is missing from the build");
                }
                p = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            page = p;
        }
        return p;
    }
}
