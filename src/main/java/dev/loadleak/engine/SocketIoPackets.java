package dev.loadleak.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Socket.IO v5 packets as Engine.IO 4 carries them in a WebSocket text message: {@code 4} (an
 * Engine.IO message), the Socket.IO type ({@code 0} connect, {@code 1} disconnect, {@code 2} event,
 * {@code 3} ack, {@code 4} connect_error, {@code 5}/{@code 6} binary), the namespace and a comma
 * unless it is {@code /}, an ack id, then JSON. Read with as little parsing as the step needs.
 */
final class SocketIoPackets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SocketIoPackets() {
    }

    /** One packet: its type, namespace, ack id (-1 when none) and JSON. */
    record Packet(char type, String namespace, int ackId, String json) {
        /** {@code text} ({@code 4…}) read, or null when it is too short to be one. */
        static Packet read(String text) {
            if (text.length() < 2) {
                return null;
            }
            int i = 2;
            String ns = "/";
            if (i < text.length() && text.charAt(i) == '/') {
                int comma = text.indexOf(',', i);
                ns = comma < 0 ? text.substring(i) : text.substring(i, comma);
                i = comma < 0 ? text.length() : comma + 1;
            }
            int id = -1;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                id = (id < 0 ? 0 : id * 10) + text.charAt(i++) - '0';
            }
            return new Packet(text.charAt(1), ns, id, text.substring(i));
        }
    }

    /** Engine.IO's handshake ({@code 0{…}}): its pingInterval + pingTimeout in nanoseconds (socket.io's defaults if absent). */
    static long heartbeatNanos(String handshakeJson) {
        JsonNode open = parse(handshakeJson);
        long interval = open == null ? 25_000 : open.path("pingInterval").asLong(25_000);
        long grace = open == null ? 20_000 : open.path("pingTimeout").asLong(20_000);
        return (interval + grace) * 1_000_000L;
    }

    /** A connect_error's message: its {@code message}, else its JSON as it came. */
    static String errorMessage(String json) {
        JsonNode err = parse(json);
        return err == null ? json : err.path("message").asText(json);
    }

    /**
     * The name of the event whose JSON array is {@code json} ({@code ["name", ...]}), read without
     * parsing the rest; null when it is not one.
     */
    static String eventName(String json) {
        if (json.length() > 2 && json.charAt(0) == '[' && json.charAt(1) == '"') {
            for (int i = 2; i < json.length(); i++) {
                char c = json.charAt(i);
                if (c == '"') {
                    return json.substring(2, i);
                }
                if (c == '\\') {
                    break; // an escape: let the parser read it
                }
            }
        }
        JsonNode args = parse(json);
        return args != null && args.isArray() && !args.isEmpty() && args.get(0).isTextual() ? args.get(0).asText() : null;
    }

    /**
     * What a step extracts from in the JSON array {@code json}: the arguments from {@code from} on
     * (an event's after its name, an ack's all): the only one (a string as its text), or the array of them.
     */
    static String arguments(String json, int from) {
        JsonNode args = parse(json);
        if (args == null || !args.isArray()) {
            return json;
        }
        if (args.size() <= from) {
            return "";
        }
        if (args.size() == from + 1) {
            JsonNode only = args.get(from);
            return only.isTextual() ? only.asText() : only.toString();
        }
        var rest = JSON.createArrayNode();
        for (int i = from; i < args.size(); i++) {
            rest.add(args.get(i));
        }
        return rest.toString();
    }

    /** {@code s} as a JSON string. */
    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code json} parsed, or null when it is empty or not JSON. */
    static JsonNode parse(String json) {
        try {
            return json.isEmpty() ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
