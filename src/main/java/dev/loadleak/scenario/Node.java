package dev.loadleak.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML/JSON document node that remembers where it was written, so that validation can say
 * "file:line:column" for every problem. Jackson's own trees drop locations, hence this small tree.
 */
public final class Node {
    public enum Kind { MAP, LIST, SCALAR, NULL }

    private final Kind kind;
    private final int line;
    private final int column;
    private final String text;
    private Object typed;
    private final Map<String, Node> entries;
    private final Map<String, int[]> keyLocations;
    private final List<Node> items;

    private Node(Kind kind, int line, int column, String text) {
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.text = text;
        this.entries = kind == Kind.MAP ? new LinkedHashMap<>() : Collections.emptyMap();
        this.keyLocations = kind == Kind.MAP ? new LinkedHashMap<>() : Collections.emptyMap();
        this.items = kind == Kind.LIST ? new ArrayList<>() : Collections.emptyList();
    }

    public static Node map(int line, int column) {
        return new Node(Kind.MAP, line, column, null);
    }

    static Node list(int line, int column) {
        return new Node(Kind.LIST, line, column, null);
    }

    static Node scalar(int line, int column, String text) {
        return new Node(text == null ? Kind.NULL : Kind.SCALAR, line, column, text);
    }

    /** A scalar that YAML/JSON typed as a number or boolean keeps that type in {@link #toPlain()}. */
    static Node typedScalar(int line, int column, String text, Object typed) {
        Node n = scalar(line, column, text);
        n.typed = typed;
        return n;
    }

    /** Builds a scalar that did not come from a file (e.g. a {@code --set} override). */
    public static Node synthetic(String text) {
        return scalar(0, 0, text);
    }

    void put(String key, int keyLine, int keyColumn, Node value) {
        entries.put(key, value);
        keyLocations.put(key, new int[] {keyLine, keyColumn});
    }

    void add(Node item) {
        items.add(item);
    }

    void replace(int index, Node item) {
        items.set(index, item);
    }

    public Kind kind() {
        return kind;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The scalar's text; null for maps, lists and YAML nulls. */
    public String text() {
        return text;
    }

    public Map<String, Node> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public int[] keyLocation(String key) {
        return keyLocations.getOrDefault(key, new int[] {line, column});
    }

    public List<Node> items() {
        return Collections.unmodifiableList(items);
    }

    public Node get(String key) {
        return entries.get(key);
    }

    /** The node as plain Java values (maps, lists, strings), e.g. to re-serialise an inline JSON body. */
    public Object toPlain() {
        switch (kind) {
            case MAP: {
                Map<String, Object> m = new LinkedHashMap<>();
                entries.forEach((k, v) -> m.put(k, v.toPlain()));
                return m;
            }
            case LIST: {
                List<Object> l = new ArrayList<>();
                items.forEach(i -> l.add(i.toPlain()));
                return l;
            }
            default:
                return typed != null ? typed : text;
        }
    }
}
