package dev.loadleak.scenario;

import java.util.Map;

/**
 * One kind of request of a scenario.
 *
 * @param path   path (and query) relative to the scenario's target, or an absolute URL
 * @param body   the request body, or null
 * @param weight relative share of this request among all requests (at least 1)
 */
public record RequestSpec(String name, String method, String path, Map<String, String> headers, String body,
                          int weight) {
    public RequestSpec {
        headers = Map.copyOf(headers);
    }
}
