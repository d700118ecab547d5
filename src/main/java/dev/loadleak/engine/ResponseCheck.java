package dev.loadleak.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.result.ErrorKind;
import dev.loadleak.scenario.Printable;
import dev.loadleak.scenario.RequestSpec;
import java.io.IOException;
import java.util.Map;

/** Decides whether a response is a success, and if not, of which {@link ErrorKind} and why. */
public final class ResponseCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponseCheck() {
    }

    /** The failure for this status, or null when the status is acceptable. */
    public static ErrorKind status(RequestSpec.Expect expect, int status) {
        if (expect == null || expect.statuses() == null) {
            return status < 400 ? null : ErrorClassifier.forStatus(status);
        }
        if (expect.statuses().contains(status)) {
            return null;
        }
        return status >= 400 ? ErrorClassifier.forStatus(status) : ErrorKind.ASSERTION;
    }

    /** Why the body fails the expectation, or null when it passes. */
    public static String body(RequestSpec.Expect expect, String body) {
        if (expect.bodyContains() != null && !body.contains(expect.bodyContains())) {
            return "body does not contain \"" + expect.bodyContains() + "\"";
        }
        if (!expect.jsonEquals().isEmpty()) {
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException e) {
                return "body is not JSON";
            }
            for (Map.Entry<String, String> e : expect.jsonEquals().entrySet()) {
                JsonNode n = root.at(e.getKey());
                if (n.isMissingNode()) {
                    return "JSON has nothing at " + e.getKey();
                }
                String actual = n.isValueNode() ? n.asText() : n.toString();
                if (!actual.equals(e.getValue())) {
                    return "JSON " + e.getKey() + " is " + abbreviate(actual) + ", expected " + e.getValue();
                }
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return Printable.excerpt(s, 57);
    }
}
