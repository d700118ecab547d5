package dev.loadleak.demoserver;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts every request the target answers, by route template, method and status. */
@ApplicationScoped
public class RequestCounter {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            String route = route(rc.normalizedPath());
            String method = rc.request().method().name();
            rc.addHeadersEndHandler(v -> counts
                    .computeIfAbsent(route + '\u0000' + method + '\u0000' + rc.response().getStatusCode(),
                            k -> new LongAdder())
                    .increment());
            rc.next();
        });
    }

    /** Collapses ids so that the label set stays small: {@code /api/v1/media/42} to {@code /api/v1/media/{id}}. */
    static String route(String path) {
        if (path.startsWith("/api/v1/media/")) {
            return "/api/v1/media/{id}";
        }
        switch (path) {
            case "/api/v1/media":
            case "/health":
            case "/metrics":
            case "/q/health":
            case "/q/health/live":
            case "/q/health/ready":
                return path;
            default:
                return "other";
        }
    }

    /** route, method, status to count, sorted for stable output. */
    public Map<String[], Long> snapshot() {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        Map<String[], Long> out = new java.util.LinkedHashMap<>();
        sorted.forEach((k, v) -> out.put(k.split("\u0000"), v));
        return out;
    }
}
