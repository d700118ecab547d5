package dev.loadleak.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loadleak.result.HeapGrowth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap snapshot diff on snapshots laid out as V8 writes them (meta, flat nodes and edges, then
 * strings): an express-session-like MemoryStore whose {@code sessions} object keeps one string per
 * session, 10 at the start and 110 at the end, beside a cache of 50 Buffers that does not grow.
 */
class HeapGrowthTest {
    @TempDir
    Path dir;

    /** Builds a snapshot: nodes [type, name, id, self_size, edge_count, trace_node_id, detachedness]. */
    static final class Builder {
        final List<String> strings = new ArrayList<>();
        final List<int[]> nodes = new ArrayList<>();
        final List<List<int[]>> edges = new ArrayList<>();
        int nextId = 1;

        int str(String s) {
            int i = strings.indexOf(s);
            if (i >= 0) {
                return i;
            }
            strings.add(s);
            return strings.size() - 1;
        }

        int node(int type, String name, int size) {
            return node(type, name, size, nextId += 2);
        }

        int node(int type, String name, int size, int id) {
            nodes.add(new int[] {type, str(name), id, size});
            edges.add(new ArrayList<>());
            return nodes.size() - 1;
        }

        /** edge types: 0 context, 1 element, 2 property, 3 internal, 4 hidden, 5 shortcut, 6 weak */
        void edge(int from, int type, String name, int to) {
            edges.get(from).add(new int[] {type, type == 1 || type == 4 ? Integer.parseInt(name) : str(name), to});
        }

        String json() throws Exception {
            StringBuilder n = new StringBuilder();
            StringBuilder e = new StringBuilder();
            int edgeCount = 0;
            for (int i = 0; i < nodes.size(); i++) {
                int[] v = nodes.get(i);
                n.append(n.length() == 0 ? "" : ",").append(v[0]).append(',').append(v[1]).append(',').append(v[2])
                        .append(',').append(v[3]).append(',').append(edges.get(i).size()).append(",0,0");
                for (int[] ed : edges.get(i)) {
                    e.append(e.length() == 0 ? "" : ",").append(ed[0]).append(',').append(ed[1]).append(',')
                            .append(ed[2] * 7);
                    edgeCount++;
                }
            }
            return "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\",\"name\",\"id\",\"self_size\",\"edge_count\","
                    + "\"trace_node_id\",\"detachedness\"],\"node_types\":[[\"hidden\",\"array\",\"string\",\"object\","
                    + "\"code\",\"closure\",\"regexp\",\"number\",\"native\",\"synthetic\",\"concatenated string\","
                    + "\"sliced string\",\"symbol\",\"bigint\",\"object shape\"],\"string\",\"number\",\"number\","
                    + "\"number\",\"number\",\"number\"],\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"
                    + "\"edge_types\":[[\"context\",\"element\",\"property\",\"internal\",\"hidden\",\"shortcut\","
                    + "\"weak\"],\"string_or_number\",\"node\"]},\"node_count\":" + nodes.size() + ",\"edge_count\":"
                    + edgeCount + ",\"trace_function_count\":0},\"nodes\":[" + n + "],\"edges\":[" + e
                    + "],\"trace_function_infos\":[],\"trace_tree\":[],\"samples\":[],\"locations\":[],\"strings\":"
                    + new ObjectMapper().writeValueAsString(strings) + "}";
        }
    }

    static final int STRING = 2;
    static final int OBJECT = 3;
    static final int NATIVE = 8;
    static final int SYNTHETIC = 9;

    /** A heap with {@code sessions} session strings (ids and texts are secrets) and a steady cache. */
    static String heap(int sessions) throws Exception {
        Builder b = new Builder();
        int root = b.node(SYNTHETIC, "", 0, 1);
        int gcRoots = b.node(SYNTHETIC, "(GC roots)", 0, 3);
        int global = b.node(OBJECT, "global", 64, 5);
        int store = b.node(OBJECT, "MemoryStore", 48, 7);
        int map = b.node(OBJECT, "Object", 32, 9);
        int cache = b.node(OBJECT, "Cache", 40, 11);
        b.edge(root, 1, "1", gcRoots);
        b.edge(root, 5, "global", global);
        b.edge(global, 2, "sessionStore", store);
        b.edge(global, 2, "cache", cache);
        b.edge(store, 2, "sessions", map);
        b.nextId = 1001;
        for (int i = 0; i < 50; i++) {
            int buf = b.node(NATIVE, "Buffer", 128);
            b.edge(cache, 1, Integer.toString(i), buf);
        }
        b.nextId = 100_001;
        for (int i = 0; i < sessions; i++) {
            int s = b.node(STRING, "{\"cart\":{\"sku\":\"SECRET-SKU-" + i + "\"}}", 720);
            b.edge(map, 2, "sid-SECRET" + i, s);
        }
        // a weak edge from the root straight to a session must not count as its holder
        if (sessions > 0) {
            b.edge(gcRoots, 6, "weakref", b.nodes.size() - 1);
        }
        return b.json();
    }

    @Test
    void namesTheGrowingTypeAndTheDictionaryThatHoldsIt() throws Exception {
        Path start = dir.resolve("a.heapsnapshot");
        Path end = dir.resolve("b.heapsnapshot");
        Files.writeString(start, heap(10));
        Files.writeString(end, heap(110));
        HeapGrowth g = HeapDiff.of("v8", start, end);
        assertEquals("(string)", g.top().get(0).name());
        assertEquals(100, g.top().get(0).countDelta());
        assertEquals(100 * 720, g.top().get(0).bytesDelta());
        assertEquals(1, g.top().size(), "the cache did not grow: " + g.top());
        HeapGrowth.Retainers r = g.retainers().get(0);
        assertEquals(100, r.newObjects());
        assertEquals(r.sampled(), r.sharing());
        assertEquals("(root).global → global.sessionStore → MemoryStore.sessions → Object[key] → (string)", r.path());
        String all = g.toString();
        assertFalse(all.contains("SECRET"), "a string's text or a session id was shown: " + all);
    }

    @Test
    void aFewPropertiesAreNamesNotKeys() throws Exception {
        Builder b = new Builder();
        int root = b.node(SYNTHETIC, "", 0, 1);
        int app = b.node(OBJECT, "App", 32, 3);
        int list = b.node(1, "", 16, 5);
        b.edge(root, 5, "app", app);
        b.edge(app, 2, "listeners", list);
        Path a = dir.resolve("c.heapsnapshot");
        Files.writeString(a, b.json());
        for (int i = 0; i < 5; i++) {
            int c = b.node(5, "onRequest", 56);
            b.edge(list, 1, Integer.toString(i), c);
        }
        Path z = dir.resolve("d.heapsnapshot");
        Files.writeString(z, b.json());
        HeapGrowth g = HeapDiff.of("v8", a, z);
        assertEquals("(closure) onRequest", g.top().get(0).name());
        assertEquals("(root).app → App.listeners → (array)[i] → (closure) onRequest", g.retainers().get(0).path());
    }

    @Test
    void notASnapshotIsAClearError() throws Exception {
        Path a = dir.resolve("e.heapsnapshot");
        Files.writeString(a, "{\"nodes\":[1,2,3]}");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> HeapDiff.of("v8", a, a));
        assertTrue(e.getMessage().contains("not a heap snapshot"), e.getMessage());
    }

    @Test
    void heapDiffPrintsTheSameDiffForTwoSnapshotsAndRefusesWhatIsNotOne() throws Exception {
        Path start = dir.resolve("f.heapsnapshot");
        Path end = dir.resolve("g.heapsnapshot");
        Files.writeString(start, heap(10));
        Files.writeString(end, heap(110));
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = dev.loadleak.cli.Cli.create(picocli.CommandLine.defaultFactory());
        cl.setOut(new java.io.PrintWriter(out));
        cl.setErr(new java.io.PrintWriter(out));
        Path json = dir.resolve("growth.json");
        assertEquals(0, cl.execute("heap-diff", start.toString(), end.toString(), "--json", json.toString()),
                out.toString());
        String text = out.toString();
        assertTrue(text.contains("+70.3 KB") && text.contains("+100 objects  (string)"), text);
        assertTrue(text.contains("who holds (string) (100 of 100 new ones sampled): (root).global → "
                + "global.sessionStore → MemoryStore.sessions → Object[key] → (string)"), text);
        assertEquals("(string)", new ObjectMapper().readTree(json.toFile()).path("top").get(0).path("name").asText());
        assertFalse(text.contains("SECRET") || Files.readString(json).contains("SECRET"), text);
        Path bad = dir.resolve("h.heapsnapshot");
        Files.writeString(bad, "{\"nodes\":[1,2,3]}");
        assertEquals(2, cl.execute("heap-diff", bad.toString(), end.toString()), out.toString());
        assertTrue(out.toString().contains("not a heap snapshot"), out.toString());
        assertEquals(2, cl.execute("heap-diff", dir.resolve("none").toString(), end.toString()));
    }

    @Test
    void eachEdgesOwnerIsFoundByBinarySearchAmongNodesWithAndWithoutEdges() throws Exception {
        Path f = dir.resolve("o.heapsnapshot");
        Files.writeString(f, heap(30));
        dev.loadleak.metrics.HeapSnapshot s = dev.loadleak.metrics.HeapSnapshot.read(f);
        int[] first = s.firstEdges();
        int checked = 0;
        for (int node = 0; node < s.nodeCount(); node++) {
            for (int e = first[node]; e < first[node + 1]; e++) {
                assertEquals(node, HeapDiff.owner(first, e), "edge " + e);
                checked++;
            }
        }
        assertEquals(s.edgeCount(), checked);
    }
}
