package dev.loadleak.scenario;

import java.util.List;

/**
 * The largest scenario loadleak takes, checked before anything is read further: every phase ×
 * request (or flow step) is a cell with its own latency histograms (about 100 KB each, six of
 * them), so a scenario of a few lines of YAML could otherwise ask for gigabytes, or overflow the
 * count. Listed in scenarios/README.md.
 */
final class Limits {
    static final int PHASES = 100;
    static final int REQUESTS = 500;
    static final int FLOWS = 100;
    static final int STEPS = 200;
    static final int CELLS = 1_000;
    static final int CRITERIA = 500;
    static final int MEMORY_SOURCES = 20;

    private Limits() {
    }

    /** Records a problem for each limit the scenario passes; true when it is within all of them. */
    static boolean check(Node root, Validation v) {
        int before = v.problems.size();
        int phases = count(root, "phases", PHASES, "phases", v);
        int requests = count(root, "requests", REQUESTS, "requests", v);
        int steps = 0;
        Node flows = root.get("flows");
        if (count(root, "flows", FLOWS, "flows", v) > 0) {
            for (int i = 0; i < flows.items().size(); i++) {
                Node f = flows.items().get(i);
                if (f.kind() == Node.Kind.MAP) {
                    steps += count(f, "steps", STEPS, "flows[" + i + "].steps", v);
                }
            }
        }
        count(root, "setup", STEPS, "setup", v);
        count(root, "teardown", STEPS, "teardown", v);
        Node memory = root.get("memory");
        if (memory != null && memory.kind() == Node.Kind.MAP) {
            count(memory, "sources", MEMORY_SOURCES, "memory.sources", v);
        }
        Node criteria = root.get("criteria");
        if (criteria != null && criteria.kind() == Node.Kind.MAP) {
            for (String level : List.of("required", "target")) {
                count(criteria, level, CRITERIA, "criteria." + level, v);
            }
        }
        int cells = phases * Math.max(requests, steps);
        if (v.problems.size() == before && cells > CELLS) {
            v.problem(root.get("phases"), "phases", phases + " phases × " + Math.max(requests, steps) + " requests are "
                    + cells + " cells, more than the " + CELLS + " a scenario may have (each keeps its own latency "
                    + "histograms)", "fewer phases, or fewer requests (a request with a variable path is one request)");
        }
        return v.problems.size() == before;
    }

    private static int count(Node parent, String key, int max, String path, Validation v) {
        Node n = parent.get(key);
        if (n == null || n.kind() != Node.Kind.LIST) {
            return 0;
        }
        int size = n.items().size();
        if (size > max) {
            v.problem(n, path, size + " " + key + ", more than the " + max + " a scenario may have", null);
        }
        return size;
    }
}
