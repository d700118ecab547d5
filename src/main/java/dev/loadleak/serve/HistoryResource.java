package dev.loadleak.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.history.HistoryCheck;
import dev.loadleak.history.HistoryStore;
import dev.loadleak.history.TrendTable;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code serve --history FILE}: each scenario's runs at a glance (its p95 by run, for the runs
 * list's small trend, and whether a regression is in force), and a scenario's trend page (the
 * charts of {@code history trend --format html}). 404 without a history; {@link ApiGuard} guards it
 * as every {@code /api} route.
 */
@Path("/api/v1/history")
public class HistoryResource {
    /** The runs a small trend shows at most, newest last. */
    static final int SPARK_RUNS = 30;

    @Inject
    RunService service;

    private java.nio.file.Path file() {
        java.nio.file.Path f = service.serving() ? service.historyFile() : null;
        if (f == null) {
            throw new NotFoundException();
        }
        return f;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response scenarios() throws SQLException {
        ObjectNode out = ManagedRun.JSON.createObjectNode();
        ArrayNode list = out.putArray("scenarios");
        try (HistoryStore h = HistoryStore.open(file())) {
            for (String s : h.scenarios()) {
                List<HistoryStore.Run> runs = h.runs(s);
                List<HistoryStore.Run> recent = runs.subList(Math.max(0, runs.size() - SPARK_RUNS), runs.size());
                ObjectNode n = list.addObject().put("name", s).put("runs", runs.size());
                ArrayNode p95 = n.putArray("p95");
                for (double v : h.series(recent, "overall", "p95")) {
                    if (Double.isNaN(v)) {
                        p95.addNull();
                    } else {
                        p95.add(v);
                    }
                }
                HistoryCheck.Report r = HistoryCheck.check(h, s, HistoryCheck.DEFAULT_METRICS, null);
                n.put("regression", r.regressed());
                if (r.tooLittle() != null) {
                    n.put("note", r.tooLittle());
                }
                ArrayNode changes = n.putArray("changes");
                for (HistoryCheck.Found f : r.changes()) {
                    changes.addObject().put("metric", f.metric()).put("run", f.runNumber()).put("worse", f.worse())
                            .put("inForce", f.inForce()).put("text", f.describe());
                }
            }
        }
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/{scenario}/trend.html")
    @Produces("text/html; charset=utf-8")
    public Response trend(@PathParam("scenario") String scenario) throws SQLException {
        try (HistoryStore h = HistoryStore.open(file())) {
            List<HistoryStore.Run> runs = h.runs(scenario);
            if (runs.isEmpty()) {
                throw new NotFoundException();
            }
            return Response.ok(TrendTable.html(h, scenario, runs, "p95", null), "text/html; charset=utf-8").build();
        }
    }
}
