package dev.loadleak.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configuration precedence, in one place: built-in defaults &lt; the scenario file &lt; the
 * environment &lt; command-line flags. The loader supplies the defaults; this applies the other
 * layers to the file's tree, in that order, before validation (so an override is validated like
 * the file itself).
 *
 * <p>The environment layer: {@code LOADLEAK_TARGET} sets {@code target}, and {@code LOADLEAK_SET}
 * holds {@code key=value} pairs separated by {@code ;}. The flag layer: {@code --target URL} and
 * each {@code --set key=value}. Keys are paths such as {@code defaults.timeout} or
 * {@code phases[0].rate}.
 */
public final class Overrides {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)((?:\\[\\d+])*)");

    private Overrides() {
    }

    /** The assignments in precedence order: environment first, then flags (the last one wins). */
    public static List<String> layered(Function<String, String> env, String flagTarget, List<String> flagSets) {
        List<String> out = new ArrayList<>();
        String envTarget = env.apply("LOADLEAK_TARGET");
        if (envTarget != null && !envTarget.isBlank()) {
            out.add("target=" + envTarget.trim());
        }
        String envSet = env.apply("LOADLEAK_SET");
        if (envSet != null) {
            for (String s : envSet.split(";")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        if (flagTarget != null) {
            out.add("target=" + flagTarget);
        }
        out.addAll(flagSets);
        return out;
    }

    /**
     * Applies {@code key=value} assignments to {@code root} in order.
     *
     * @throws IllegalArgumentException for an assignment that is not {@code key=value} or a bad path
     */
    public static void apply(Node root, List<String> assignments) {
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("override \"" + a + "\" is not KEY=VALUE, e.g. defaults.timeout=3s");
            }
            set(root, a.substring(0, eq).trim(), a.substring(eq + 1));
        }
    }

    private static void set(Node root, String path, String value) {
        String[] segments = path.split("\\.");
        Node cur = root;
        for (int s = 0; s < segments.length; s++) {
            Matcher m = SEGMENT.matcher(segments[s]);
            if (!m.matches()) {
                throw new IllegalArgumentException("override key \"" + path + "\" is not a path like defaults.timeout or phases[0].rate");
            }
            String key = m.group(1);
            List<Integer> indexes = new ArrayList<>();
            Matcher im = Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
            while (im.find()) {
                indexes.add(Integer.parseInt(im.group(1)));
            }
            boolean last = s == segments.length - 1;
            if (cur.kind() != Node.Kind.MAP) {
                throw new IllegalArgumentException("override \"" + path + "\": " + key + " is inside a value, not a map");
            }
            if (indexes.isEmpty()) {
                if (last) {
                    cur.put(key, 0, 0, Node.synthetic(value));
                } else {
                    Node next = cur.get(key);
                    if (next == null) {
                        next = Node.map(0, 0);
                        cur.put(key, 0, 0, next);
                    }
                    cur = next;
                }
                continue;
            }
            Node list = cur.get(key);
            for (int k = 0; k < indexes.size(); k++) {
                int idx = indexes.get(k);
                if (list == null || list.kind() != Node.Kind.LIST || idx >= list.items().size()) {
                    throw new IllegalArgumentException("override \"" + path + "\": " + key + "[" + idx + "] does not exist in the scenario");
                }
                Node item = list.items().get(idx);
                if (last && k == indexes.size() - 1) {
                    list.replace(idx, Node.synthetic(value));
                    item = null;
                }
                list = item;
            }
            cur = list;
            if (cur == null) {
                return;
            }
        }
    }
}
