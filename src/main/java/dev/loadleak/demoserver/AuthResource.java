package dev.loadleak.demoserver;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * A MediaNest-like session flow on the built-in target: a CSRF token (in JSON and as a cookie)
 * that a login must echo in {@code X-CSRF-Token}, a login that answers with a bearer token and
 * a session cookie, and a session route that needs the bearer token. Sessions live in
 * {@link Sessions}: bounded, unless {@code --session-leak} keeps every one (as express-session's
 * MemoryStore does).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {
    static final String CSRF_COOKIE = "csrf";
    static final String SESSION_COOKIE = "sid";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    TargetState state;

    @Inject
    Sessions sessions;

    @GET
    @Path("/csrf/token")
    public Uni<Response> csrf() {
        return state.api("GET /api/v1/csrf/token", () -> {
            String token = random();
            return Response.ok(Map.of("token", token))
                    .cookie(new NewCookie.Builder(CSRF_COOKIE).value(token).path("/").httpOnly(true).build()).build();
        });
    }

    @POST
    @Path("/auth/login")
    public Uni<Response> login(@HeaderParam("X-CSRF-Token") String header, @CookieParam(CSRF_COOKIE) String cookie,
                               @CookieParam(SESSION_COOKIE) String sid) {
        return state.api("POST /api/v1/auth/login", () -> {
            if (header == null || cookie == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                    cookie.getBytes(StandardCharsets.UTF_8))) {
                return MediaResource.error(403, "invalid CSRF token: send the token of GET /api/v1/csrf/token "
                        + "in X-CSRF-Token, with its cookie");
            }
            String session = sid != null && sessions.has(sid) ? sid : sessions.create();
            String bearer = sessions.token(session);
            return Response.ok(Map.of("token", bearer, "user", "demo"))
                    .cookie(new NewCookie.Builder(SESSION_COOKIE).value(session).path("/").httpOnly(true).build())
                    .build();
        });
    }

    @GET
    @Path("/auth/session")
    public Uni<Response> session(@HeaderParam("Authorization") String authorization) {
        return state.api("GET /api/v1/auth/session", () -> {
            String token = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring(7).trim() : null;
            String session = token == null ? null : sessions.sessionOf(token);
            if (session == null) {
                return Response.status(401).type(MediaType.APPLICATION_JSON)
                        .header("WWW-Authenticate", "Bearer").entity(Map.of("error", "a valid bearer token is needed"))
                        .build();
            }
            return Response.ok(Map.of("user", "demo", "sessions", sessions.size())).build();
        });
    }

    static String random() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
