package dev.loadleak.demoserver;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code GET /metrics} in the Prometheus text exposition format (version 0.0.4). */
@Path("/metrics")
public class MetricsResource {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Inject
    TargetState state;
    @Inject
    RequestCounter counter;
    @Inject
    HostedService service;
    @Inject
    SocketIoEndpoint socketIo;

    /** The target's metrics; while {@code loadleak serve} serves, the metrics of its tests instead. */
    @GET
    @Produces(CONTENT_TYPE)
    public Uni<Response> metrics() throws java.io.IOException {
        if (service.serving()) {
            return Uni.createFrom().item(Response.ok(service.metricsText()).type(CONTENT_TYPE).build());
        }
        return state.plain(() -> Response.ok(render()).type(CONTENT_TYPE).build());
    }

    String render() {
        StringBuilder sb = new StringBuilder(2048);
        gauge(sb, "process_resident_memory_bytes", "Resident memory size in bytes.", OwnMemory.residentBytes());
        sb.append("# HELP jvm_memory_used_bytes The amount of used memory\n# TYPE jvm_memory_used_bytes gauge\n");
        sb.append("jvm_memory_used_bytes{area=\"heap\"} ").append(OwnMemory.heapUsedBytes()).append('\n');
        sb.append("jvm_memory_used_bytes{area=\"nonheap\"} ").append(OwnMemory.nonHeapUsedBytes()).append('\n');
        gauge(sb, "jvm_gc_live_data_size_bytes", "Heap in use after the last garbage collection (post-GC floor).",
                OwnMemory.heapAfterGcBytes());
        gauge(sb, "loadleak_target_leaked_bytes", "Bytes retained on purpose by the --leak knob.",
                state.leak().retainedBytes());
        gauge(sb, "loadleak_target_socketio_open", "Socket.IO connections open now.", socketIo.open());
        sb.append("# HELP loadleak_target_socketio_events_total ping-media events received on /media.\n")
                .append("# TYPE loadleak_target_socketio_events_total counter\n")
                .append("loadleak_target_socketio_events_total ").append(socketIo.acks()).append('\n');
        sb.append("# HELP http_server_requests_total Requests answered, by route, method and status.\n");
        sb.append("# TYPE http_server_requests_total counter\n");
        for (Map.Entry<String[], Long> e : counter.snapshot().entrySet()) {
            String[] k = e.getKey();
            sb.append("http_server_requests_total{route=\"").append(k[0]).append("\",method=\"").append(k[1])
                    .append("\",status=\"").append(k[2]).append("\"} ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        if (value >= 0) { // -1: the runtime does not say; no sample rather than a wrong one
            sb.append(name).append(' ').append(value).append('\n');
        }
    }
}
