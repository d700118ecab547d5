package dev.loadleak.scenario;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the {@code defaults:} block: timeout, connections, headers, TLS, redirects, HTTP version, client. */
final class DefaultsReader {
    private final Validation v;
    private final Confinement confinement;

    DefaultsReader(Validation v, Confinement confinement) {
        this.v = v;
        this.confinement = confinement;
    }

    Defaults read(Node n, Variables vars) {
        if (n == null) {
            return Defaults.standard();
        }
        if (!v.expectMap(n, "defaults")) {
            return null;
        }
        v.checkKeys(n, "defaults", ScenarioLoader.DEFAULT_KEYS);
        Long t = v.optional(n, "timeout", "defaults", x -> {
            long nanos = Units.parseDurationNanos(x.text());
            if (nanos < 1_000_000L || nanos > 3600_000_000_000L) {
                throw new IllegalArgumentException("must be between 1ms and 1h; write e.g. 10s");
            }
            return nanos;
        });
        Integer mc = v.optional(n, "maxConnections", "defaults", x -> {
            int c = Validation.parseInt(x.text(), "maxConnections");
            if (c < 1 || c > ScenarioLoader.MAX_CONNECTIONS_LIMIT) {
                throw new IllegalArgumentException("must be between 1 and " + ScenarioLoader.MAX_CONNECTIONS_LIMIT + ", was " + c);
            }
            return c;
        });
        Map<String, Template> headers = headers(n.get("headers"), vars);
        Boolean insecure = v.optionalBoolean(n, "insecure", "defaults");
        Integer redirects = v.optional(n, "followRedirects", "defaults", x -> {
            int r = intIn(x, "followRedirects", 0, Defaults.MAX_REDIRECTS, "0 (do not follow)");
            if (r > 0 && confinement.confined() && confinement.allowTarget() != null) {
                throw new IllegalArgumentException("a redirect could lead outside --allow-target; this server follows none");
            }
            return r;
        });
        Defaults.HttpVersion http = v.optional(n, "http", "defaults", x -> switch (x.text().trim()) {
            case "1.1", "1" -> Defaults.HttpVersion.HTTP_1_1;
            case "2", "2.0", "h2", "h2c" -> Defaults.HttpVersion.HTTP_2;
            default -> throw new IllegalArgumentException("\"" + x.text() + "\" is not an HTTP version; write 1.1 or 2");
        });
        Integer pipelining = v.optional(n, "pipelining", "defaults",
                x -> intIn(x, "pipelining", 1, Defaults.MAX_PIPELINING, "1 (no pipelining)"));
        Long maxBody = v.optional(n, "maxBody", "defaults", x -> {
            long b = Units.parseBytes(x.text());
            if (b < 1024 || b > Defaults.MAX_BODY_LIMIT) {
                throw new IllegalArgumentException("must be between 1KB and 64MB (the largest response body kept for "
                        + "extraction and checks); write e.g. 4MB");
            }
            return b;
        });
        Boolean cookies = v.optionalBoolean(n, "cookies", "defaults");
        Defaults.Client client = v.optional(n, "client", "defaults", x -> switch (x.text().trim()) {
            case "auto" -> Defaults.Client.AUTO;
            case "vertx" -> Defaults.Client.VERTX;
            default -> throw new IllegalArgumentException("\"" + x.text() + "\" is not a client; write auto or vertx");
        });
        return new Defaults(t == null ? Defaults.DEFAULT_TIMEOUT_NANOS : t,
                mc == null ? Defaults.DEFAULT_MAX_CONNECTIONS : mc, headers, Boolean.TRUE.equals(insecure),
                redirects == null ? 0 : redirects, http == null ? Defaults.HttpVersion.HTTP_1_1 : http,
                pipelining == null ? 1 : pipelining, client == null ? Defaults.Client.AUTO : client,
                maxBody == null ? Defaults.DEFAULT_MAX_BODY : maxBody, !Boolean.FALSE.equals(cookies));
    }

    /** {@code defaults.headers}: each value text, a template that may read variables. */
    private Map<String, Template> headers(Node h, Variables vars) {
        Map<String, Template> headers = new LinkedHashMap<>();
        if (h != null && v.expectMap(h, "defaults.headers")) {
            h.entries().forEach((k, val) -> {
                if (val.kind() != Node.Kind.SCALAR) {
                    v.problem(val, "defaults.headers." + k, "a header value must be text", null);
                    return;
                }
                try {
                    headers.put(k, Template.parse(val.text(), vars));
                } catch (IllegalArgumentException e) {
                    v.problem(val, "defaults.headers." + k, e.getMessage(), null);
                }
            });
        }
        return headers;
    }

    /** A whole number from {@code min} (described as {@code minText}) to {@code max}, or a problem saying so. */
    private static int intIn(Node x, String what, int min, int max, String minText) {
        int value = Validation.parseInt(x.text(), what);
        if (value < min || value > max) {
            throw new IllegalArgumentException("must be between " + minText + " and " + max + ", was " + value);
        }
        return value;
    }
}
