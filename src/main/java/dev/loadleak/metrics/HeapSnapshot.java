package dev.loadleak.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A V8 heap snapshot ({@code .heapsnapshot}) read as a stream: {@code snapshot.meta} says the
 * layout, {@code nodes} and {@code edges} are flat int arrays kept as such (no object per node),
 * and of {@code strings} only the ones that name a type or a property are kept — the text of the
 * target's strings is never held, so it cannot be printed.
 */
public final class HeapSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    final int nodeFields;
    final int typeAt;
    final int nameAt;
    final int idAt;
    final int sizeAt;
    final int edgeCountAt;
    final List<String> nodeTypes;
    final int edgeFields;
    final int edgeTypeAt;
    final int edgeNameAt;
    final int edgeToAt;
    final List<String> edgeTypes;
    final int[] nodes;
    final int[] edges;
    final String[] strings;

    private HeapSnapshot(JsonNode meta, int[] nodes, int[] edges, String[] strings) {
        List<String> nf = texts(meta.path("node_fields"));
        nodeFields = nf.size();
        typeAt = nf.indexOf("type");
        nameAt = nf.indexOf("name");
        idAt = nf.indexOf("id");
        sizeAt = nf.indexOf("self_size");
        edgeCountAt = nf.indexOf("edge_count");
        nodeTypes = texts(meta.path("node_types").path(0));
        List<String> ef = texts(meta.path("edge_fields"));
        edgeFields = ef.size();
        edgeTypeAt = ef.indexOf("type");
        edgeNameAt = ef.indexOf("name_or_index");
        edgeToAt = ef.indexOf("to_node");
        edgeTypes = texts(meta.path("edge_types").path(0));
        this.nodes = nodes;
        this.edges = edges;
        this.strings = strings;
        if (typeAt < 0 || nameAt < 0 || idAt < 0 || sizeAt < 0 || edgeCountAt < 0 || edgeTypeAt < 0 || edgeNameAt < 0
                || edgeToAt < 0) {
            throw new IllegalArgumentException("not a V8 heap snapshot: its meta lacks node or edge fields");
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Reads {@code file}; its strings are kept only where they name a type or a property. */
    public static HeapSnapshot read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, true);
        }
    }

    /**
     * Reads only the nodes of {@code file} (and the names of the non-data ones): its edges are
     * skipped as they stream by, for a snapshot whose groups and ids are all a diff needs of it.
     */
    public static HeapSnapshot readNodes(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, false);
        }
    }

    public static HeapSnapshot read(InputStream in) throws IOException {
        return read(in, true);
    }

    private static HeapSnapshot read(InputStream in, boolean withEdges) throws IOException {
        JsonNode meta = null;
        int nodeCount = -1;
        int edgeCount = -1;
        int[] nodes = null;
        int[] edges = null;
        String[] strings = null;
        try (JsonParser p = FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a heap snapshot: it is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "snapshot" -> {
                        JsonNode s = p.readValueAsTree();
                        meta = s.path("meta");
                        nodeCount = s.path("node_count").asInt(-1);
                        edgeCount = s.path("edge_count").asInt(-1);
                    }
                    case "nodes" -> nodes = ints(p, meta == null || nodeCount < 0 ? 1 << 16
                            : nodeCount * meta.path("node_fields").size());
                    case "edges" -> {
                        if (withEdges) {
                            edges = ints(p, meta == null || edgeCount < 0 ? 1 << 16
                                    : edgeCount * meta.path("edge_fields").size());
                        } else {
                            p.skipChildren();
                            edges = new int[0];
                        }
                    }
                    case "strings" -> strings = strings(p, meta, nodes, edges);
                    default -> p.skipChildren();
                }
            }
        }
        if (meta == null || nodes == null || edges == null || strings == null) {
            throw new IOException("not a heap snapshot: snapshot, nodes, edges or strings is missing");
        }
        return new HeapSnapshot(meta, nodes, edges, strings);
    }

    private static int[] ints(JsonParser p, int expected) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new IOException("not a heap snapshot: nodes and edges are arrays of numbers");
        }
        int[] a = new int[Math.max(16, expected)];
        int n = 0;
        while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = (int) p.getLongValue(); // ids and sizes fit in 32 bits; a wider one wraps, never throws
        }
        return n == a.length ? a : java.util.Arrays.copyOf(a, n);
    }

    /**
     * The string table, with only what names a type, a constructor or a property kept: the names of
     * nodes that are not strings themselves, and the names of edges that are not indexes. Without
     * the nodes and edges read first (V8 writes them first), nothing is kept.
     */
    private static String[] strings(JsonParser p, JsonNode meta, int[] nodes, int[] edges) throws IOException {
        BitSet keep = new BitSet();
        if (meta != null && nodes != null && edges != null) {
            List<String> nf = texts(meta.path("node_fields"));
            List<String> types = texts(meta.path("node_types").path(0));
            int typeAt = nf.indexOf("type");
            int nameAt = nf.indexOf("name");
            for (int i = 0; i + nf.size() <= nodes.length; i += nf.size()) {
                int t = nodes[i + typeAt];
                if (t >= 0 && t < types.size() && !isData(types.get(t))) {
                    keep.set(nodes[i + nameAt]);
                }
            }
            List<String> ef = texts(meta.path("edge_fields"));
            List<String> et = texts(meta.path("edge_types").path(0));
            int eType = ef.indexOf("type");
            int eName = ef.indexOf("name_or_index");
            for (int i = 0; i + ef.size() <= edges.length; i += ef.size()) {
                int t = edges[i + eType];
                String type = t >= 0 && t < et.size() ? et.get(t) : "";
                if (!type.equals("element") && !type.equals("hidden") && edges[i + eName] >= 0) {
                    keep.set(edges[i + eName]);
                }
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            out.add(keep.get(i) ? p.getText() : null);
            i++;
        }
        return out.toArray(new String[0]);
    }

    /** Node types whose name is the target's data (a string's text, a number's value): never kept or shown. */
    static boolean isData(String type) {
        return type.equals("string") || type.equals("concatenated string") || type.equals("sliced string")
                || type.equals("number") || type.equals("bigint");
    }

    public int nodeCount() {
        return nodes.length / nodeFields;
    }

    public int edgeCount() {
        return edges.length / edgeFields;
    }

    public String type(int node) {
        int t = nodes[node * nodeFields + typeAt];
        return t >= 0 && t < nodeTypes.size() ? nodeTypes.get(t) : "unknown";
    }

    /** A node's name where it is a type, constructor or function name; null for data (a string's text). */
    public String name(int node) {
        if (isData(type(node))) {
            return null;
        }
        int s = nodes[node * nodeFields + nameAt];
        return s >= 0 && s < strings.length ? strings[s] : null;
    }

    /** The index of a node's type in the meta's node types. */
    public int typeIndex(int node) {
        return nodes[node * nodeFields + typeAt];
    }

    /** The number of node types in the meta. */
    public int typeCount() {
        return nodeTypes.size();
    }

    /** The index of a node's name in the string table (whether or not its text was kept). */
    public int nameIndex(int node) {
        return nodes[node * nodeFields + nameAt];
    }

    /** The size of the string table. */
    public int stringCount() {
        return strings.length;
    }

    public long id(int node) {
        return nodes[node * nodeFields + idAt] & 0xffffffffL;
    }

    public long selfSize(int node) {
        return nodes[node * nodeFields + sizeAt] & 0xffffffffL;
    }

    public int edgesOf(int node) {
        return nodes[node * nodeFields + edgeCountAt];
    }

    public String edgeType(int edge) {
        int t = edges[edge * edgeFields + edgeTypeAt];
        return t >= 0 && t < edgeTypes.size() ? edgeTypes.get(t) : "unknown";
    }

    /** An edge's name (a property, a context variable) or index (an element), as written in the snapshot. */
    public int edgeNameOrIndex(int edge) {
        return edges[edge * edgeFields + edgeNameAt];
    }

    /** The edge's name where it is one (null for an element or hidden index). */
    public String edgeName(int edge) {
        String t = edgeType(edge);
        if (t.equals("element") || t.equals("hidden")) {
            return null;
        }
        int s = edgeNameOrIndex(edge);
        return s >= 0 && s < strings.length ? strings[s] : null;
    }

    /** The node an edge leads to. */
    public int edgeTo(int edge) {
        return edges[edge * edgeFields + edgeToAt] / nodeFields;
    }

    /** Each node's first edge (edges are stored node by node), and one past the last at [nodeCount]. */
    public int[] firstEdges() {
        int n = nodeCount();
        int[] first = new int[n + 1];
        for (int i = 0; i < n; i++) {
            first[i + 1] = first[i] + edgesOf(i);
        }
        return first;
    }
}
