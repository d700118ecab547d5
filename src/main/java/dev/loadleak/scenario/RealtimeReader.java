package dev.loadleak.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a flow step's {@code ws:} or {@code socketio:} map into a {@link Realtime} action: exactly
 * one action key, the keys that go with it, paths on the target (a real-time step goes nowhere
 * else), JSON payloads that may hold variables.
 */
final class RealtimeReader {
    static final Set<String> WS_KEYS = Set.of("connect", "headers", "subprotocols", "send", "receive", "timeout",
            "close");
    static final Set<String> SOCKETIO_KEYS = Set.of("connect", "auth", "query", "path", "headers", "emit", "data",
            "ack", "on", "disconnect", "timeout");
    static final Set<String> RECEIVE_KEYS = Set.of("json", "equals", "contains");
    /** Per action, the keys that may go with it. */
    private static final Map<String, Set<String>> WITH = Map.of(
            "connect", Set.of("headers", "subprotocols", "auth", "query", "path", "timeout"),
            "send", Set.of(), "receive", Set.of("timeout"), "close", Set.of(),
            "emit", Set.of("data", "ack", "timeout"), "on", Set.of("timeout"), "disconnect", Set.of());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Validation v;
    private final RequestReader requests;

    RealtimeReader(Validation v, RequestReader requests) {
        this.v = v;
        this.requests = requests;
    }

    /** The action of {@code step}'s {@code key} ({@code ws} or {@code socketio}); null on problems. */
    Realtime read(Node step, String key, String stepPath) {
        Node n = step.get(key);
        String path = stepPath + "." + key;
        boolean ws = key.equals("ws");
        if (!v.expectMap(n, path)) {
            return null;
        }
        v.checkKeys(n, path, ws ? WS_KEYS : SOCKETIO_KEYS);
        List<String> actions = n.entries().keySet().stream().filter(WITH::containsKey).toList();
        String example = ws ? "one of {connect: /ws}, {send: TEXT}, {receive: {json: /type, equals: pong}}, {close: true}"
                : "one of {connect: /media}, {emit: EVENT, ack: true}, {on: EVENT}, {disconnect: true}";
        if (actions.size() != 1) {
            v.problem(n, path, actions.isEmpty() ? "names no action" : "names " + actions.size() + " actions "
                    + actions + "; a step does one", example);
            return null;
        }
        String action = actions.get(0);
        for (String k : n.entries().keySet()) {
            if (!k.equals(action) && !WITH.containsKey(k) && !WITH.get(action).contains(k)
                    && (ws ? WS_KEYS : SOCKETIO_KEYS).contains(k)) {
                v.problem(n.get(k), path + "." + k, "does not go with " + action,
                        action + " takes " + (WITH.get(action).isEmpty() ? "nothing else" : new TreeSet<>(WITH.get(action))));
                return null;
            }
        }
        Long timeout = v.optional(n, "timeout", path, t -> {
            long x = Units.parseDurationNanos(t.text().trim());
            if (x <= 0) {
                throw new IllegalArgumentException("must be above 0, e.g. 5s");
            }
            return x;
        });
        long t = timeout == null ? 0 : timeout; // 0: the scenario's request timeout
        return switch (action) {
            case "connect" -> ws ? wsConnect(n, path, t) : sioConnect(n, path, t);
            case "send" -> {
                Template text = payload(n.get("send"), path + ".send", false, false);
                yield text == null ? null : new Realtime.WsSend(text, t);
            }
            case "receive" -> {
                Realtime.Match m = match(n.get("receive"), path + ".receive");
                yield m == null ? null : new Realtime.WsReceive(m, t);
            }
            case "close", "disconnect" -> flag(n, action, path) ? new Realtime.Close(ws ? Realtime.Protocol.WS
                    : Realtime.Protocol.SOCKETIO, t) : null;
            case "emit" -> emit(n, path, t);
            case "on" -> {
                String event = event(n, "on", path);
                yield event == null ? null : new Realtime.SioOn(event, Realtime.Match.ANY, t);
            }
            default -> throw new IllegalStateException(action);
        };
    }

    private Realtime wsConnect(Node n, String path, long timeout) {
        Template p = localPath(n, "connect", path, "/ws");
        Map<String, Template> headers = headers(n.get("headers"), path + ".headers");
        List<String> protocols = new ArrayList<>();
        Node sp = n.get("subprotocols");
        if (sp != null) {
            for (Node item : sp.kind() == Node.Kind.LIST ? sp.items() : List.of(sp)) {
                if (item.kind() != Node.Kind.SCALAR || !item.text().trim().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                    v.problem(item, path + ".subprotocols", "\"" + item.text() + "\" is not a subprotocol name",
                            "e.g. subprotocols: [graphql-transport-ws]");
                    return null;
                }
                protocols.add(item.text().trim());
            }
        }
        return p == null || headers == null ? null : new Realtime.WsConnect(p, headers, protocols, timeout);
    }

    private Realtime sioConnect(Node n, String path, long timeout) {
        String ns = v.optional(n, "connect", path, x -> {
            String s = x.text().trim();
            if (!s.startsWith("/") || s.contains("?") || s.contains(",") || s.contains(" ")) {
                throw new IllegalArgumentException("\"" + s + "\" is not a namespace; write / or /media");
            }
            return s;
        });
        Template auth = n.get("auth") == null ? null : payload(n.get("auth"), path + ".auth", true, true);
        Template query = null;
        Node q = n.get("query");
        if (q != null && v.expectMap(q, path + ".query")) {
            StringBuilder sb = new StringBuilder();
            q.entries().forEach((k, val) -> sb.append('&').append(RequestReader.encode(k)).append('=')
                    .append(RequestReader.encodeOutsideVariables(val.text() == null ? "" : val.text())));
            query = template(q, path + ".query", sb.toString());
        }
        Template engine = n.get("path") == null ? Template.literal("/socket.io/") : localPath(n, "path", path, "/socket.io/");
        Map<String, Template> headers = headers(n.get("headers"), path + ".headers");
        if (ns == null || engine == null || headers == null || (n.get("auth") != null && auth == null)
                || (q != null && query == null)) {
            return null;
        }
        return new Realtime.SioConnect(ns, auth, query, engine.source(), headers, timeout);
    }

    private Realtime emit(Node n, String path, long timeout) {
        String event = event(n, "emit", path);
        Template data = n.get("data") == null ? null : payload(n.get("data"), path + ".data", false, true);
        Boolean ack = v.optionalBoolean(n, "ack", path);
        if (event == null || (n.get("data") != null && data == null)) {
            return null;
        }
        return new Realtime.SioEmit(event, data, Boolean.TRUE.equals(ack), timeout);
    }

    private String event(Node n, String key, String path) {
        return v.optional(n, key, path, x -> {
            String s = x.text().trim();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("must name the event, e.g. ping-media");
            }
            if (Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener")
                    .contains(s)) {
                throw new IllegalArgumentException("\"" + s + "\" is reserved by Socket.IO; use the connect/disconnect steps");
            }
            return s;
        });
    }

    private boolean flag(Node n, String key, String path) {
        Boolean b = v.optionalBoolean(n, key, path);
        if (b != null && !b) {
            v.problem(n.get(key), path + "." + key, "must be true", "write " + key + ": true, or leave the step out");
            return false;
        }
        return b != null;
    }

    /** A path on the target, e.g. {@code /ws?room=1}: a real-time step goes to the target's host only. */
    private Template localPath(Node n, String key, String path, String example) {
        String s = v.optional(n, key, path, x -> {
            String t = x.text().trim();
            if (!t.startsWith("/") || t.startsWith("//")) {
                throw new IllegalArgumentException("\"" + t + "\" is not a path on the target; write e.g. " + example
                        + " (a real-time step connects to the target's host, ws:// or wss:// as its http:// or https://)");
            }
            return t;
        });
        return s == null ? null : template(n.get(key), path + "." + key, s);
    }

    /**
     * A message or payload: a map or list as JSON; a scalar as written, or with {@code json} (a
     * Socket.IO argument) as written when it is JSON (a number, true, a quoted string) and else as
     * a JSON string. {@code object}: it must be a map.
     */
    private Template payload(Node n, String path, boolean object, boolean json) {
        String text;
        if (n.kind() == Node.Kind.SCALAR) {
            text = n.text();
            if (object) {
                v.problem(n, path, "must be a map, e.g. {token: \"${token}\"}", null);
                return null;
            }
            if (json && !isJson(text)) {
                try {
                    text = JSON.writeValueAsString(text);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
        } else if (n.kind() == Node.Kind.NULL || (object && n.kind() != Node.Kind.MAP)) {
            v.problem(n, path, object ? "must be a map, e.g. {token: \"${token}\"}" : "must not be empty", null);
            return null;
        } else {
            try {
                text = JSON.writeValueAsString(n.toPlain());
            } catch (JsonProcessingException e) {
                v.problem(n, path, "cannot be written as JSON: " + e.getOriginalMessage(), null);
                return null;
            }
        }
        return template(n, path, text);
    }

    private static boolean isJson(String text) {
        try {
            JSON.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            return !text.isBlank();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private Realtime.Match match(Node n, String path) {
        if (n.kind() == Node.Kind.SCALAR && "any".equals(n.text().trim())) {
            return Realtime.Match.ANY;
        }
        if (!v.expectMap(n, path)) {
            return null;
        }
        v.checkKeys(n, path, RECEIVE_KEYS);
        String pointer = v.optional(n, "json", path, x -> {
            String s = x.text().trim();
            if (!s.startsWith("/")) {
                throw new IllegalArgumentException("\"" + s + "\" is not a JSON pointer; write e.g. /type");
            }
            return s;
        });
        Node eq = n.get("equals");
        Node contains = n.get("contains");
        if ((n.get("json") != null) != (eq != null)) {
            v.problem(n, path, "json: and equals: go together", "e.g. receive: {json: /type, equals: pong}");
            return null;
        }
        if (eq != null && contains != null) {
            v.problem(n, path, "has both equals: and contains:", "a wait matches one way");
            return null;
        }
        Template e = eq == null ? null : template(eq, path + ".equals", eq.text() == null ? "" : eq.text());
        Template c = contains == null ? null : template(contains, path + ".contains",
                contains.text() == null ? "" : contains.text());
        if ((n.get("json") != null && (pointer == null || e == null)) || (contains != null && c == null)) {
            return null;
        }
        return new Realtime.Match(pointer, e, c);
    }

    private Template template(Node at, String path, String text) {
        return requests.template(at, path, text);
    }

    private Map<String, Template> headers(Node n, String path) {
        return requests.headers(n, path);
    }
}
