package dev.loadleak.engine.cookies;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.scenario.Flow;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes a step's extracted values out of an answer: a JSON pointer into the body, a header, a
 * regex's first group over the body, a cookie the answer sets, or the status. Compiled once per step.
 */
public final class Extractor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Flow.Extraction> extractions;
    private final JsonPointer[] pointers;
    private final Pattern[] patterns;
    private final boolean needsBody;
    private final boolean needsHeaders;

    public Extractor(List<Flow.Extraction> extractions) {
        this.extractions = List.copyOf(extractions);
        pointers = new JsonPointer[extractions.size()];
        patterns = new Pattern[extractions.size()];
        boolean body = false;
        boolean headers = false;
        for (int i = 0; i < pointers.length; i++) {
            Flow.Extraction e = extractions.get(i);
            switch (e.source()) {
                case JSON -> pointers[i] = JsonPointer.compile(e.expression());
                case REGEX -> patterns[i] = Pattern.compile(e.expression());
                default -> { }
            }
            body |= e.source() == Flow.Source.JSON || e.source() == Flow.Source.REGEX;
            headers |= e.source() == Flow.Source.HEADER || e.source() == Flow.Source.COOKIE;
        }
        this.needsBody = body;
        this.needsHeaders = headers;
    }

    public boolean isEmpty() {
        return extractions.isEmpty();
    }

    public boolean needsBody() {
        return needsBody;
    }

    public boolean needsHeaders() {
        return needsHeaders;
    }

    /** Where extracted values go. */
    public interface Into {
        void put(Flow.Extraction e, String value);
    }

    /**
     * Extracts every value into {@code into}; returns null when all were found, else what was not
     * (never a value: they may be secrets).
     *
     * @param headers the answer's headers as name, value, name, value… (null when none were kept)
     */
    public String extract(int status, List<String> headers, String body, Into into) {
        JsonNode tree = null;
        for (int i = 0; i < pointers.length; i++) {
            Flow.Extraction e = extractions.get(i);
            String value;
            switch (e.source()) {
                case STATUS -> value = Integer.toString(status);
                case HEADER -> value = header(headers, e.expression());
                case COOKIE -> value = setCookie(headers, e.expression());
                case REGEX -> {
                    Matcher m = patterns[i].matcher(body == null ? "" : body);
                    value = m.find() ? m.group(1) : null;
                }
                default -> {
                    if (tree == null) {
                        try {
                            tree = JSON.readTree(body == null ? "" : body);
                        } catch (IOException bad) {
                            return "extract " + e.variable() + ": the body is not JSON";
                        }
                        if (tree == null) {
                            return "extract " + e.variable() + ": the body is empty";
                        }
                    }
                    JsonNode at = tree.at(pointers[i]);
                    value = at.isMissingNode() || at.isNull() ? null : at.isValueNode() ? at.asText() : at.toString();
                }
            }
            if (value == null) {
                return "extract " + e.variable() + ": " + describe(e) + " found nothing";
            }
            into.put(e, value);
        }
        return null;
    }

    private static String describe(Flow.Extraction e) {
        return switch (e.source()) {
            case JSON -> "JSON pointer " + e.expression();
            case HEADER -> "header " + e.expression();
            case REGEX -> "regex " + e.expression();
            case COOKIE -> "cookie " + e.expression();
            case STATUS -> "status";
        };
    }

    /** The first header named {@code name} (any case), or null. */
    public static String header(List<String> headers, String name) {
        if (headers != null) {
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                if (headers.get(i).equalsIgnoreCase(name)) {
                    return headers.get(i + 1);
                }
            }
        }
        return null;
    }

    /** The value the answer's {@code Set-Cookie} headers give the cookie {@code name}, or null. */
    static String setCookie(List<String> headers, String name) {
        String found = null;
        if (headers != null) {
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                if (headers.get(i).equalsIgnoreCase("set-cookie")) {
                    Cookie c = ClientCookieDecoder.LAX.decode(headers.get(i + 1));
                    if (c != null && c.name().equals(name)) {
                        found = c.value();
                    }
                }
            }
        }
        return found;
    }
}
