package dev.loadleak.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces every secret value (from the environment) by {@code ***} in text bound for output.
 * Values shorter than {@value #MIN_LENGTH} characters are not treated as secrets: redacting "1" or
 * "on" would mangle every number and word of a report, and no real token is that short.
 */
public final class Redactor {
    public static final Redactor NONE = new Redactor(List.of());
    public static final int MIN_LENGTH = 4;

    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        List<String> s = new ArrayList<>();
        for (String v : secrets) {
            if (v != null && v.length() >= MIN_LENGTH) {
                s.add(v);
            }
        }
        // longest first, so that a secret containing another is replaced whole
        s.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(s);
    }

    public String redact(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
            // the same value as it appears JSON-escaped or URL-encoded
            out = out.replace(jsonEscaped(s), "***");
            out = out.replace(java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8), "***");
        }
        return out;
    }

    private static String jsonEscaped(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
