package dev.loadleak.serve;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Who may call what. While serving: a request a web page could have forged is refused first
 * ({@link ForgeryChecks}: a foreign Host 421, a foreign Origin 403, a POST of a simple type 415); every {@code /api} route and {@code /metrics} need
 * {@code Authorization: Bearer TOKEN} when a token is set (401 otherwise, compared in constant
 * time; the health probes need none), and the built-in target's routes are not there (404;
 * {@code /metrics} is then the service's own). While not serving, the service's routes answer 404
 * (their resource says so).
 */
@Provider
@PreMatching
public class ApiGuard implements ContainerRequestFilter {
    static final List<String> TARGET_ROUTES = List.of("api/v1/media", "api/v1/csrf", "api/v1/auth");

    @Inject
    RunService service;

    @Override
    public void filter(ContainerRequestContext req) {
        if (!service.serving()) {
            return;
        }
        String path = req.getUriInfo().getPath();
        path = path.startsWith("/") ? path.substring(1) : path;
        for (String t : TARGET_ROUTES) {
            if (path.equals(t) || path.startsWith(t + "/")) {
                req.abortWith(Response.status(404).build());
                return;
            }
        }
        ForgeryChecks.Refusal forged = ForgeryChecks.check(req.getMethod(), req.getHeaderString("Host"),
                req.getHeaderString("Origin"), req.getHeaderString("Content-Type"),
                req.getHeaderString(ForgeryChecks.CLIENT_HEADER), service.config().names());
        if (forged != null) {
            req.abortWith(Response.status(forged.status()).type(MediaType.APPLICATION_JSON)
                    .entity(ManagedRun.JSON.createObjectNode().put("error", forged.reason()).toString()).build());
            return;
        }
        String token = service.config().token();
        boolean guarded = path.startsWith("api/") || path.equals("metrics");
        if (token != null && guarded && !bears(req.getHeaderString("Authorization"), token)) {
            req.abortWith(Response.status(401).header("WWW-Authenticate", "Bearer").type(MediaType.APPLICATION_JSON)
                    .entity("{\"error\":\"send Authorization: Bearer TOKEN (the token of --token-env)\"}").build());
        }
    }

    static boolean bears(String header, String token) {
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : "";
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
}
