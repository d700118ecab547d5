package dev.loadleak.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Problem;
import dev.loadleak.scenario.Scenario;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The service's REST API ({@code loadleak serve}): start a run from a scenario, validate one, list
 * runs, follow one live (a snapshot, or Server-Sent Events), stop it, fetch its artifacts. Every
 * route answers 404 unless the process serves; {@link ApiGuard} checks the bearer token.
 */
@Path("/api/v1")
public class RunsResource {
    static final Map<String, String> ARTIFACTS = Map.of("report.html", "text/html; charset=utf-8",
            "result.json", MediaType.APPLICATION_JSON, "junit.xml", "application/xml", "summary.md",
            "text/markdown; charset=utf-8", "timeline.csv", "text/csv; charset=utf-8");

    @Inject
    RunService service;

    private void serving() {
        if (!service.serving()) {
            throw new NotFoundException();
        }
    }

    private static Response problem(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ManagedRun.JSON.createObjectNode().put("error", message).toString()).build();
    }

    /** Reads the body as UTF-8 text, or null when it is over the limit (413). */
    private String text(byte[] body) {
        if (body == null || body.length > service.config().maxBodyBytes()) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String fileName(String contentType) {
        return contentType != null && contentType.contains("json") ? "scenario.json" : "scenario.yaml";
    }

    /** {@code ?target=URL} and each {@code ?set=key=value}, as {@code run --target} and {@code --set} (the last wins). */
    private static List<String> overrides(String target, List<String> sets) {
        List<String> out = new java.util.ArrayList<>();
        if (target != null && !target.isBlank()) {
            out.add("target=" + target.trim());
        }
        if (sets != null) {
            sets.stream().filter(x -> !x.isBlank()).map(String::trim).forEach(out::add);
        }
        return out;
    }

    private static Response invalid(InvalidScenarioException e) {
        ObjectNode n = ManagedRun.JSON.createObjectNode().put("error", "the scenario is invalid: "
                + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s"));
        ArrayNode ps = n.putArray("problems");
        for (Problem p : e.problems()) {
            ps.addObject().put("line", p.line()).put("column", p.column()).put("key", p.path())
                    .put("message", p.message()).put("hint", p.hint()).put("text", p.toString());
        }
        return Response.status(400).type(MediaType.APPLICATION_JSON).entity(n.toString()).build();
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response validate(byte[] body, @HeaderParam("Content-Type") String type, @QueryParam("target") String target,
                             @QueryParam("set") List<String> sets) {
        serving();
        String text = text(body);
        if (text == null) {
            return problem(413, "the scenario is over " + service.config().maxBodyBytes() + " bytes");
        }
        try {
            Scenario s = service.validate(fileName(type), text, overrides(target, sets));
            return Response.ok(ManagedRun.JSON.createObjectNode().put("valid", true).put("name", s.name())
                    .put("plannedSeconds", s.totalDurationNanos() / 1e9).toString()).build();
        } catch (InvalidScenarioException e) {
            return invalid(e);
        }
    }

    @POST
    @Path("/runs")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response start(byte[] body, @HeaderParam("Content-Type") String type, @QueryParam("target") String target,
                          @QueryParam("set") List<String> sets, @Context UriInfo uri) {
        serving();
        String text = text(body);
        if (text == null) {
            return problem(413, "the scenario is over " + service.config().maxBodyBytes() + " bytes");
        }
        Scenario s;
        try {
            s = service.validate(fileName(type), text, overrides(target, sets));
        } catch (InvalidScenarioException e) {
            return invalid(e);
        }
        ManagedRun run;
        try {
            run = service.start(s, text);
        } catch (IOException e) {
            return problem(503, "cannot write the run's directory: " + e.getMessage());
        }
        if (run == null) {
            return problem(409, "already running " + service.active() + " run(s), the most this service takes ("
                    + "--max-runs " + service.config().maxRuns() + "); stop one or wait");
        }
        return Response.created(uri.getBaseUriBuilder().path("api/v1/runs").path(run.id).build())
                .entity(run.summary().toString()).build();
    }

    @GET
    @Path("/runs")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("page") @DefaultValue("1") int page, @QueryParam("size") @DefaultValue("20") int size) {
        serving();
        if (page < 1 || size < 1 || size > 200) {
            return problem(400, "page must be >= 1 and size between 1 and 200");
        }
        List<ManagedRun> all = service.list();
        ObjectNode n = ManagedRun.JSON.createObjectNode().put("page", page).put("size", size).put("total", all.size());
        ArrayNode items = n.putArray("runs");
        all.stream().skip((long) (page - 1) * size).limit(size).forEach(r -> items.add(r.summary()));
        return Response.ok(n.toString()).build();
    }

    private ManagedRun run(String id) {
        serving();
        ManagedRun r = service.get(id);
        if (r == null) {
            throw new NotFoundException();
        }
        return r;
    }

    /** While it runs, a live snapshot; when it is done, its result.json. */
    @GET
    @Path("/runs/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id) throws IOException {
        ManagedRun r = run(id);
        java.nio.file.Path result = r.dir.resolve("result.json");
        if (!r.running() && Files.exists(result)) {
            return Response.ok(Files.readString(result, StandardCharsets.UTF_8)).build();
        }
        return Response.ok(r.snapshot().toString()).build();
    }

    /** One event a second (the timeline point, memory, progress), then {@code end}; a late client gets what it missed. */
    @GET
    @Path("/runs/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@PathParam("id") String id, @Context SseEventSink sink, @Context Sse sse) {
        ManagedRun r = run(id);
        Consumer<ManagedRun.Event>[] self = new Consumer[1];
        self[0] = e -> {
            if (sink.isClosed()) {
                throw new IllegalStateException("client gone");
            }
            sink.send(sse.newEventBuilder().name(e.name()).data(e.json()).build());
            if (e.name().equals("end")) {
                sink.close();
            }
        };
        if (!r.subscribe(self[0]) && !sink.isClosed()) {
            sink.close();
        }
    }

    /** Stops the run as SIGINT does: in-flight requests get their grace, the result is written as interrupted. */
    @DELETE
    @Path("/runs/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response stop(@PathParam("id") String id) {
        ManagedRun r = run(id);
        if (!service.stop(id)) {
            return problem(409, "run " + id + " is not running (" + r.status().json() + ")");
        }
        return Response.accepted(r.summary().toString()).build();
    }

    @GET
    @Path("/runs/{id}/{file}")
    public Response artifact(@PathParam("id") String id, @PathParam("file") String file) {
        ManagedRun r = run(id);
        String type = ARTIFACTS.get(file);
        java.nio.file.Path f = r.dir.resolve(file);
        if (type == null || !Files.exists(f)) {
            throw new NotFoundException();
        }
        return Response.ok(f.toFile(), type).build();
    }
}
