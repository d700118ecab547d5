package dev.loadleak.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one entry of {@code requests}. */
final class RequestReader {
    static final Set<String> KEYS = Set.of("name", "method", "path", "query", "headers", "body", "bodyFile", "multipart",
            "weight", "expect");
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    static final Set<String> MULTIPART_KEYS = Set.of("field", "file", "filename", "contentType", "fields");
    static final Set<String> EXPECT_KEYS = Set.of("status", "bodyContains", "json");
    private static final Pattern STATUS_RANGE = Pattern.compile("([1-5])xx|(\\d{3})\\s*-\\s*(\\d{3})|(\\d{3})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Validation v;
    private final Variables vars;

    RequestReader(Validation v, Variables vars) {
        this.v = v;
        this.vars = vars;
    }

    RequestSpec read(Node n, String path, int index) {
        return read(n, path, KEYS, "request-" + (index + 1));
    }

    /** Reads a request (or a flow step, whose {@code keys} differ) named {@code defaultName} unless it says. */
    RequestSpec read(Node n, String path, Set<String> keys, String defaultName) {
        if (!v.expectMap(n, path)) {
            return null;
        }
        v.checkKeys(n, path, keys);
        String name = v.optionalText(n, "name", path, defaultName);
        String method = v.optional(n, "method", path, m -> {
            String up = m.text().trim().toUpperCase(Locale.ROOT);
            if (!METHODS.contains(up)) {
                throw new IllegalArgumentException("\"" + m.text() + "\" is not an HTTP method; use one of " + new TreeSet<>(METHODS));
            }
            return up;
        });
        String target = v.required(n, "path", path, "a path such as /api/v1/media, or a full http(s) URL", p -> {
            String s = p.text().trim();
            Confinement.checkUrlShape(s);
            if (!s.startsWith("/")) {
                vars.checkRequestUrl(s);
            }
            return s;
        });
        String query = query(n.get("query"), path + ".query");
        Template url = target == null ? null : template(n.get("path"), path + ".path",
                query == null ? target : target + (target.contains("?") ? "&" : "?") + query);
        Map<String, Template> headers = headers(n.get("headers"), path + ".headers");
        RequestSpec.Body body = body(n, path);
        Integer weight = v.optional(n, "weight", path, w -> {
            int x = Validation.parseInt(w.text(), "weight");
            if (x < 1 || x > 1_000_000) {
                throw new IllegalArgumentException("weight must be between 1 and 1000000, was " + x);
            }
            return x;
        });
        RequestSpec.Expect expect = expect(n.get("expect"), path + ".expect");
        if (url == null || headers == null) {
            return null;
        }
        Map<String, Template> h = new LinkedHashMap<>(headers);
        boolean hasType = h.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("content-type"));
        if (!hasType && body instanceof RequestSpec.MultipartBody mp) {
            h.put("Content-Type", Template.literal("multipart/form-data; boundary=" + mp.boundary()));
        } else if (!hasType && body instanceof RequestSpec.TextBody && n.get("body").kind() != Node.Kind.SCALAR) {
            h.put("Content-Type", Template.literal("application/json"));
        } else if (!hasType && body instanceof RequestSpec.FileBody) {
            h.put("Content-Type", Template.literal("application/octet-stream"));
        }
        return new RequestSpec(name, method == null ? (body == null ? "GET" : "POST") : method, url, h, body,
                weight == null ? 1 : weight, expect);
    }

    Template template(Node at, String path, String text) {
        try {
            return Template.parse(text, vars);
        } catch (IllegalArgumentException e) {
            v.problem(at, path, e.getMessage(), null);
            return null;
        }
    }

    private String query(Node n, String path) {
        if (n == null) {
            return null;
        }
        if (!v.expectMap(n, path)) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        n.entries().forEach((k, val) -> {
            if (val.kind() != Node.Kind.SCALAR) {
                v.problem(val, path + "." + k, "a query value must be a single value", null);
                return;
            }
            if (sb.length() > 0) {
                sb.append('&');
            }
            // values may hold variables: encode only what is outside ${...}
            sb.append(encode(k)).append('=').append(encodeOutsideVariables(val.text()));
        });
        return sb.toString();
    }

    static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String encodeOutsideVariables(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int start = s.indexOf("${", i);
            if (start < 0) {
                out.append(encode(s.substring(i)));
                break;
            }
            int end = s.indexOf('}', start);
            if (end < 0) {
                out.append(encode(s.substring(i)));
                break;
            }
            out.append(encode(s.substring(i, start))).append(s, start, end + 1);
            i = end + 1;
        }
        return out.toString();
    }

    /** A {@code headers:} map: names checked, values as templates; null on problems. */
    Map<String, Template> headers(Node n, String path) {
        Map<String, Template> out = new LinkedHashMap<>();
        if (n == null || n.kind() == Node.Kind.NULL) {
            return out;
        }
        if (!v.expectMap(n, path)) {
            return null;
        }
        n.entries().forEach((k, val) -> {
            if (val.kind() != Node.Kind.SCALAR) {
                v.problem(val, path + "." + k, "a header value must be text", "quote it: " + k + ": \"...\"");
            } else if (!k.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                int[] loc = n.keyLocation(k);
                v.problems.add(new Problem(v.file, loc[0], loc[1], path + "." + k, "\"" + k + "\" is not a valid header name",
                        "header names are letters, digits and - only"));
            } else {
                Template t = template(val, path + "." + k, val.text());
                if (t != null) {
                    out.put(k, t);
                }
            }
        });
        return out;
    }

    private RequestSpec.Body body(Node n, String path) {
        int count = (n.get("body") != null ? 1 : 0) + (n.get("bodyFile") != null ? 1 : 0) + (n.get("multipart") != null ? 1 : 0);
        if (count > 1) {
            v.problem(n, path, "has more than one of body, bodyFile, multipart", "a request sends one body");
            return null;
        }
        Node b = n.get("body");
        if (b != null && b.kind() != Node.Kind.NULL) {
            String text;
            if (b.kind() == Node.Kind.SCALAR) {
                text = b.text();
            } else {
                try {
                    text = JSON.writeValueAsString(b.toPlain());
                } catch (JsonProcessingException e) {
                    v.problem(b, path + ".body", "cannot be written as JSON: " + e.getOriginalMessage(), null);
                    return null;
                }
            }
            Template t = template(b, path + ".body", text);
            return t == null ? null : new RequestSpec.TextBody(t);
        }
        if (n.get("bodyFile") != null) {
            Path f = v.optional(n, "bodyFile", path, x -> vars.file(x.text().trim()));
            byte[] bytes = f == null ? null : readFile(n.get("bodyFile"), path + ".bodyFile", f);
            return bytes == null ? null : new RequestSpec.FileBody(f, bytes);
        }
        Node m = n.get("multipart");
        if (m != null) {
            return multipart(m, path + ".multipart");
        }
        return null;
    }

    private RequestSpec.Body multipart(Node m, String path) {
        if (!v.expectMap(m, path)) {
            return null;
        }
        v.checkKeys(m, path, MULTIPART_KEYS);
        String field = v.optionalText(m, "field", path, "file");
        Path file = v.required(m, "file", path, "the file to upload, relative to the scenario's folder",
                x -> vars.file(x.text().trim()));
        byte[] bytes = file == null ? null : readFile(m.get("file"), path + ".file", file);
        String filename = v.optionalText(m, "filename", path, file == null ? "upload" : file.getFileName().toString());
        String type = v.optionalText(m, "contentType", path, "application/octet-stream");
        Map<String, String> fields = new LinkedHashMap<>();
        Node f = m.get("fields");
        if (f != null && v.expectMap(f, path + ".fields")) {
            f.entries().forEach((k, val) -> fields.put(k, val.text() == null ? "" : val.text()));
        }
        if (bytes == null) {
            return null;
        }
        String boundary = "loadleak-" + Long.toHexString(Double.doubleToLongBits(bytes.length * 31.0 + fields.hashCode()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 512);
        StringBuilder head = new StringBuilder();
        fields.forEach((k, val) -> head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(k).append("\"\r\n\r\n").append(val).append("\r\n"));
        head.append("--").append(boundary).append("\r\n").append("Content-Disposition: form-data; name=\"").append(field)
                .append("\"; filename=\"").append(filename).append("\"\r\nContent-Type: ").append(type).append("\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(bytes);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new RequestSpec.MultipartBody(field, file, filename, type, fields, boundary, out.toByteArray());
    }

    private byte[] readFile(Node at, String path, Path f) {
        try {
            long size = Files.size(f);
            if (size > 512L * 1024 * 1024) {
                v.problem(at, path, f + " is over 512 MB", "bodies are held in memory once; use a smaller file");
                return null;
            }
            return Files.readAllBytes(f);
        } catch (IOException e) {
            v.problem(at, path, "cannot read " + f + ": " + e.getClass().getSimpleName(), "paths are relative to the scenario's folder");
            return null;
        }
    }

    private RequestSpec.Expect expect(Node n, String path) {
        if (n == null) {
            return null;
        }
        if (!v.expectMap(n, path)) {
            return null;
        }
        v.checkKeys(n, path, EXPECT_KEYS);
        Set<Integer> statuses = null;
        Node s = n.get("status");
        if (s != null) {
            statuses = new LinkedHashSet<>();
            for (Node item : s.kind() == Node.Kind.LIST ? s.items() : java.util.List.of(s)) {
                if (item.kind() != Node.Kind.SCALAR || !statuses(item.text(), statuses)) {
                    v.problem(item, path + ".status", "\"" + item.text() + "\" is not a status",
                            "write 200, [200, 201], 2xx or 200-299");
                }
            }
        }
        String contains = v.optional(n, "bodyContains", path, Node::text);
        Map<String, String> json = new LinkedHashMap<>();
        Node j = n.get("json");
        if (j != null && v.expectMap(j, path + ".json")) {
            j.entries().forEach((ptr, val) -> {
                if (!ptr.startsWith("/")) {
                    int[] loc = j.keyLocation(ptr);
                    v.problems.add(new Problem(v.file, loc[0], loc[1], path + ".json." + ptr, "\"" + ptr
                            + "\" is not a JSON pointer", "JSON pointers start with /, e.g. /items/0/id"));
                } else if (val.kind() != Node.Kind.SCALAR) {
                    v.problem(val, path + ".json." + ptr, "the expected value must be a single value", null);
                } else {
                    json.put(ptr, val.text());
                }
            });
        }
        return new RequestSpec.Expect(statuses, contains, json);
    }

    private static boolean statuses(String text, Set<Integer> out) {
        Matcher m = STATUS_RANGE.matcher(text.trim());
        if (!m.matches()) {
            return false;
        }
        int lo;
        int hi;
        if (m.group(1) != null) {
            lo = Integer.parseInt(m.group(1)) * 100;
            hi = lo + 99;
        } else if (m.group(2) != null) {
            lo = Integer.parseInt(m.group(2));
            hi = Integer.parseInt(m.group(3));
        } else {
            lo = hi = Integer.parseInt(m.group(4));
        }
        if (lo < 100 || hi > 599 || hi < lo) {
            return false;
        }
        for (int i = lo; i <= hi; i++) {
            out.add(i);
        }
        return true;
    }
}
