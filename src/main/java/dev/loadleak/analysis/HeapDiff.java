package dev.loadleak.analysis;

import dev.loadleak.metrics.HeapSnapshot;
import dev.loadleak.result.HeapGrowth;
import dev.loadleak.result.HeapGrowth.Group;
import dev.loadleak.result.HeapGrowth.Retainers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Diffs two V8 heap snapshots into a {@link HeapGrowth}: what grew by constructor or type, and the
 * path from the GC roots most of a sample of the new objects share (memlab's retainer traces).
 */
public final class HeapDiff {
    static final int SAMPLE = 200;
    static final int DICTIONARY = 64;
    static final int SHOWN_STEPS = 8;

    private HeapDiff() {
    }

    /** Reads the start snapshot, keeps its sums and ids only, then reads the end one and diffs. */
    public static HeapGrowth of(String source, Path start, Path end) throws IOException {
        HeapSnapshot a = HeapSnapshot.readNodes(start); // its edges are never needed
        Map<String, long[]> before = groups(a);
        long[] ids = new long[a.nodeCount()];
        long bytesStart = 0;
        for (int i = 0; i < ids.length; i++) {
            ids[i] = a.id(i);
            bytesStart += a.selfSize(i);
        }
        int nodesStart = a.nodeCount();
        a = null; // only its sums and ids are needed from here
        Arrays.sort(ids);
        HeapSnapshot b = HeapSnapshot.read(end);
        return of(source, start.getFileName().toString(), end.getFileName().toString(), before, ids, nodesStart,
                bytesStart, b);
    }

    static HeapGrowth of(String source, String startFile, String endFile, Map<String, long[]> before, long[] sortedIds,
                         long nodesStart, long bytesStart, HeapSnapshot b) {
        Map<String, long[]> after = groups(b);
        List<Group> rows = new ArrayList<>();
        after.forEach((g, v) -> {
            long[] s = before.getOrDefault(g, new long[2]);
            rows.add(new Group(g, s[0], v[0], s[1], v[1]));
        });
        before.forEach((g, s) -> {
            if (!after.containsKey(g)) {
                rows.add(new Group(g, s[0], 0, s[1], 0));
            }
        });
        List<Group> top = rows.stream().filter(r -> r.bytesDelta() > 0)
                .sorted(Comparator.comparingLong(Group::bytesDelta).reversed()).limit(HeapGrowth.TOP).toList();
        long bytesEnd = 0;
        for (int i = 0; i < b.nodeCount(); i++) {
            bytesEnd += b.selfSize(i);
        }
        List<Retainers> retainers = new ArrayList<>();
        if (!top.isEmpty()) {
            int[] first = b.firstEdges();
            int[] parent = shortestPaths(b, first);
            for (Group g : top.subList(0, Math.min(HeapGrowth.TRACED, top.size()))) {
                retainers.add(trace(b, first, parent, g.name(), sortedIds));
            }
        }
        return new HeapGrowth(source, startFile, endFile, nodesStart, b.nodeCount(), bytesStart, bytesEnd, top,
                retainers, null);
    }

    /** A node's group: an object's constructor, a closure's function, else its type in parentheses. */
    static String group(HeapSnapshot s, int node) {
        String type = s.type(node);
        String name = s.name(node);
        return switch (type) {
            case "object", "native" -> name == null || name.isEmpty() ? "(" + type + ")" : name;
            case "closure" -> "(closure) " + (name == null || name.isEmpty() ? "anonymous" : name);
            case "concatenated string", "sliced string" -> "(string)";
            default -> "(" + type + ")";
        };
    }

    /**
     * Each node's {@link #group} without a new string per node: one per type, or per type and name
     * for the named ones. Millions of nodes would otherwise make as many short-lived strings, and a
     * JVM with room to spare grows its young generation by hundreds of MB to hold them.
     */
    static final class Groups {
        private final HeapSnapshot s;
        private final String[] byType;
        private final String[][] byTypeAndName;

        Groups(HeapSnapshot s) {
            this.s = s;
            this.byType = new String[s.typeCount() + 1];
            this.byTypeAndName = new String[s.typeCount() + 1][];
        }

        String of(int node) {
            int t = s.typeIndex(node);
            if (t < 0 || t >= s.typeCount()) {
                t = s.typeCount(); // "unknown"
            }
            String type = s.type(node);
            boolean named = type.equals("object") || type.equals("native") || type.equals("closure");
            if (!named) {
                String g = byType[t];
                return g != null ? g : (byType[t] = group(s, node));
            }
            int n = s.nameIndex(node);
            if (n < 0 || n >= s.stringCount()) {
                return group(s, node);
            }
            String[] names = byTypeAndName[t];
            if (names == null) {
                names = byTypeAndName[t] = new String[s.stringCount()];
            }
            String g = names[n];
            return g != null ? g : (names[n] = group(s, node));
        }
    }

    static Map<String, long[]> groups(HeapSnapshot s) {
        Map<String, long[]> out = new HashMap<>();
        Groups g = new Groups(s);
        for (int i = 0; i < s.nodeCount(); i++) {
            long[] v = out.computeIfAbsent(g.of(i), k -> new long[2]);
            v[0]++;
            v[1] += s.selfSize(i);
        }
        return out;
    }

    /**
     * Breadth first from the root (node 0) over every edge but weak ones: each node's parent edge, or
     * -1. V8's bookkeeping roots ({@value #BOOKKEEPING}) are expanded last, so that a session id held
     * by the string table and by a store reads as held by the store, as DevTools shows it.
     */
    static int[] shortestPaths(HeapSnapshot s, int[] first) {
        int n = s.nodeCount();
        int[] parent = new int[n];
        Arrays.fill(parent, -1);
        int[] queue = new int[n];
        List<Integer> deferred = new ArrayList<>();
        int head = 0;
        int tail = 0;
        queue[tail++] = 0;
        boolean late = false;
        while (true) {
            while (head < tail) {
                int node = queue[head++];
                if (!late && s.type(node).equals("synthetic") && BOOKKEEPING.contains(s.name(node))) {
                    deferred.add(node);
                    continue;
                }
                for (int e = first[node]; e < first[node + 1]; e++) {
                    if (s.edgeType(e).equals("weak")) {
                        continue;
                    }
                    int to = s.edgeTo(e);
                    if (to > 0 && to < n && parent[to] < 0) { // the root (0) is never reached again
                        parent[to] = e;
                        queue[tail++] = to;
                    }
                }
            }
            if (late || deferred.isEmpty()) {
                return parent;
            }
            late = true;
            head = 0;
            tail = 0;
            for (int d : deferred) {
                queue[tail++] = d;
            }
        }
    }

    /** Roots that hold what the program also holds elsewhere: V8's string table and caches. */
    static final String BOOKKEEPING = "(Internalized strings), (Startup object cache), (External strings), "
            + "(Read-only roots), (Compilation cache)";

    private static Retainers trace(HeapSnapshot s, int[] first, int[] parent, String group, long[] sortedIds) {
        int[] fresh = new int[1024]; // the new objects of the group, as node indexes (no boxing: there can be millions)
        int count = 0;
        Groups groups = new Groups(s);
        for (int i = 0; i < s.nodeCount(); i++) {
            if (groups.of(i).equals(group) && Arrays.binarySearch(sortedIds, s.id(i)) < 0 && !piece(s, parent, first, i)) {
                if (count == fresh.length) {
                    fresh = Arrays.copyOf(fresh, count * 2);
                }
                fresh[count++] = i;
            }
        }
        Map<String, Integer> paths = new LinkedHashMap<>();
        int step = Math.max(1, count / SAMPLE);
        int sampled = 0;
        for (int k = 0; k < count && sampled < SAMPLE; k += step) {
            sampled++;
            paths.merge(path(s, first, parent, fresh[k]), 1, Integer::sum);
        }
        int bookkeeping = 0;
        for (Map.Entry<String, Integer> p : paths.entrySet()) {
            bookkeeping += throughBookkeeping(p.getKey()) ? p.getValue() : 0;
        }
        boolean others = bookkeeping < sampled;
        Map.Entry<String, Integer> best = paths.entrySet().stream().filter(p -> !others || !throughBookkeeping(p.getKey()))
                .max(Map.Entry.comparingByValue()).orElse(null);
        return new Retainers(group, count, sampled, best == null ? 0 : best.getValue(),
                best == null ? "no new object of this group" : best.getKey(), others ? bookkeeping : 0);
    }

    private static boolean throughBookkeeping(String path) {
        for (String root : BOOKKEEPING.split(", ")) {
            if (path.contains(root)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a node is a piece of a concatenated or sliced string (its shortest path runs through
     * one): the whole string is traced instead, so that the pieces of one value do not split its path.
     */
    private static boolean piece(HeapSnapshot s, int[] parent, int[] first, int node) {
        if (parent[node] < 0) {
            return false;
        }
        String holder = s.type(owner(first, parent[node]));
        return holder.equals("concatenated string") || holder.equals("sliced string");
    }

    /**
     * The node edge {@code e} leaves from: edges are stored node by node, so it is the last node whose
     * first edge is at or before {@code e} (a binary search, where a table of every edge's owner
     * would take 4 bytes an edge).
     */
    static int owner(int[] first, int e) {
        int lo = 0;
        int hi = first.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (first[mid] <= e) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        // nodes without edges share their first edge with the next one: the owner is the last of them
        return lo;
    }

    /** The path from the root to {@code node} in one line, its last {@value #SHOWN_STEPS} steps shown. */
    static String path(HeapSnapshot s, int[] first, int[] parent, int node) {
        List<String> steps = new ArrayList<>();
        int at = node;
        int guard = 0;
        while (parent[at] >= 0 && guard++ < 10_000) {
            int e = parent[at];
            int holder = owner(first, e);
            steps.add(label(s, holder) + edge(s, first, holder, e));
            at = holder;
        }
        if (at != 0) {
            return "(unreachable from the roots) → " + group(s, node);
        }
        java.util.Collections.reverse(steps);
        steps.add(group(s, node));
        if (steps.size() > SHOWN_STEPS) {
            List<String> tail = steps.subList(steps.size() - SHOWN_STEPS + 1, steps.size());
            return steps.get(0) + " → … → " + String.join(" → ", tail);
        }
        return String.join(" → ", steps);
    }

    private static String label(HeapSnapshot s, int node) {
        if (node == 0) {
            return "(root)";
        }
        String type = s.type(node);
        String name = s.name(node);
        if (type.equals("synthetic") && name != null) {
            return name; // (GC roots), (Global handles) ...
        }
        return group(s, node);
    }

    private static String edge(HeapSnapshot s, int[] first, int holder, int e) {
        String type = s.edgeType(e);
        if (type.equals("element") || type.equals("hidden")) {
            return "[i]";
        }
        String name = s.edgeName(e);
        if (name == null) {
            return "[?]";
        }
        if (name.matches("\\d+")) {
            return "[i]";
        }
        return dataLike(name, type.equals("property") && properties(s, first, holder) > DICTIONARY) ? "[key]" : "." + name;
    }

    /**
     * Whether a property name may be the target's data rather than its code's: not an identifier,
     * longer than 24 characters (a session id, a token), or, in an object of more than
     * {@value #DICTIONARY} properties (a dictionary), one with a digit ("user:42", "sess123").
     */
    static boolean dataLike(String name, boolean inDictionary) {
        return !name.matches("[A-Za-z_$][A-Za-z0-9_$]*") || name.length() > 24
                || inDictionary && name.chars().anyMatch(Character::isDigit);
    }

    private static int properties(HeapSnapshot s, int[] first, int node) {
        int n = 0;
        for (int e = first[node]; e < first[node + 1]; e++) {
            if (s.edgeType(e).equals("property")) {
                n++;
            }
        }
        return n;
    }
}
