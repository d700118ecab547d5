package dev.loadleak.demoserver;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** A MediaNest-like media API: list, get by id, upload. */
@Path("/api/v1/media")
@Produces(MediaType.APPLICATION_JSON)
public class MediaResource {
    static final int MAX_LIMIT = 100;

    @Inject
    TargetState state;

    private final AtomicLong created = new AtomicLong();
    /** Items created and not yet deleted, by id to size: the newest {@link #KEPT} (a bound, not a leak). */
    private final Map<Long, Integer> kept = new LinkedHashMap<>();
    static final int KEPT = 1000;

    @GET
    public Uni<Response> list(@QueryParam("page") @DefaultValue("1") int page,
                              @QueryParam("limit") @DefaultValue("20") int limit) {
        return state.api("GET /api/v1/media", () -> {
            if (page < 1 || limit < 1 || limit > MAX_LIMIT) {
                return error(400, "page must be >= 1 and limit between 1 and " + MAX_LIMIT);
            }
            int n = state.knobs().items();
            List<Map<String, Object>> items = new ArrayList<>();
            for (long id = (long) (page - 1) * limit + 1; id <= Math.min(n, (long) page * limit); id++) {
                items.add(item(id));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("page", page);
            body.put("limit", limit);
            body.put("total", n);
            body.put("items", items);
            return Response.ok(body).build();
        });
    }

    @GET
    @Path("/{id}")
    public Uni<Response> get(@PathParam("id") String id) {
        return state.api("GET /api/v1/media/{id}", () -> {
            long n;
            try {
                n = Long.parseLong(id);
            } catch (NumberFormatException e) {
                return error(404, "no media with id " + id);
            }
            Integer size;
            synchronized (kept) {
                size = kept.get(n);
            }
            if (size != null) {
                Map<String, Object> m = item(n);
                m.put("sizeBytes", size);
                return Response.ok(m).build();
            }
            if (n < 1 || n > state.knobs().items()) {
                return error(404, "no media with id " + id);
            }
            return Response.ok(item(n)).build();
        });
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(byte[] body) {
        int size = body == null ? 0 : body.length;
        return state.api("POST /api/v1/media", () -> {
            long id = state.knobs().items() + created.incrementAndGet();
            synchronized (kept) {
                kept.put(id, size);
                if (kept.size() > KEPT) {
                    kept.remove(kept.keySet().iterator().next());
                }
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", id);
            r.put("bytes", size);
            return Response.status(201).entity(r).build();
        });
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") String id) {
        return state.api("DELETE /api/v1/media/{id}", () -> {
            Integer removed = null;
            try {
                long n = Long.parseLong(id);
                synchronized (kept) {
                    removed = kept.remove(n);
                }
            } catch (NumberFormatException e) {
                // not a number: no such item
            }
            return removed == null ? error(404, "no created media with id " + id) : Response.noContent().build();
        });
    }

    static Map<String, Object> item(long id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", "Media " + id);
        m.put("type", id % 3 == 0 ? "video" : id % 3 == 1 ? "image" : "audio");
        m.put("sizeBytes", 1000 + (id * 7919) % 100_000);
        return m;
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
