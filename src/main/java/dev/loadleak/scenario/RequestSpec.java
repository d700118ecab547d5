package dev.loadleak.scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One kind of request of a scenario.
 *
 * @param url     path (relative to the target) or full URL, with the query appended; may hold variables
 * @param body    what is sent, or null
 * @param weight  relative share of this request among all requests (at least 1)
 * @param expect  what a good response looks like; null means "any status below 400"
 */
public record RequestSpec(String name, String method, Template url, Map<String, Template> headers, Body body,
                          int weight, Expect expect) {
    public RequestSpec {
        headers = Map.copyOf(headers);
    }

    /** A request body. */
    public sealed interface Body permits TextBody, FileBody, MultipartBody {
    }

    /** Inline text or JSON (may hold variables). */
    public record TextBody(Template text) implements Body {
    }

    /** The bytes of a file, read once when the scenario is loaded. */
    public record FileBody(Path file, byte[] bytes) implements Body {
    }

    /** A multipart/form-data upload of one file, plus plain fields; encoded once. */
    public record MultipartBody(String field, Path file, String filename, String contentType,
                                Map<String, String> fields, String boundary, byte[] encoded) implements Body {
    }

    /**
     * What a response must satisfy; failing it is an error of kind {@code assertion}.
     *
     * @param statuses     accepted statuses (null: any below 400)
     * @param bodyContains text the body must contain (null: not checked)
     * @param jsonEquals   JSON pointer to the expected value as text
     */
    public record Expect(Set<Integer> statuses, String bodyContains, Map<String, String> jsonEquals) {
        public boolean needsBody() {
            return bodyContains != null || !jsonEquals.isEmpty();
        }
    }

    /** Whether this names a {@code ws:} or {@code socketio:} step of a flow, which no HTTP request carries. */
    public boolean realtime() {
        return "WS".equals(method) || "SOCKETIO".equals(method);
    }

    /** All templates of this request (to check for variables). */
    public List<Template> templates() {
        List<Template> all = new java.util.ArrayList<>();
        all.add(url);
        all.addAll(headers.values());
        if (body instanceof TextBody t) {
            all.add(t.text());
        }
        return all;
    }
}
