package dev.loadleak.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The problems found so far in one file, and the helpers that read typed values from a
 * {@link Node} tree: each records a {@link Problem} (with location, key path and hint) instead of
 * throwing, so that validation reports everything at once.
 */
final class Validation {
    final String file;
    final List<Problem> problems = new ArrayList<>();

    Validation(String file) {
        this.file = file;
    }

    interface ItemReader<T> {
        T read(Node n, String path, int index);
    }

    <T> List<T> list(Node parent, String key, String path, String hint, ItemReader<T> reader) {
        String p = join(path, key);
        Node n = parent.get(key);
        if (n == null) {
            problem(parent, p, "is missing", hint);
            return null;
        }
        if (n.kind() != Node.Kind.LIST || n.items().isEmpty()) {
            problem(n, p, "must be a non-empty list", hint);
            return null;
        }
        List<T> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < n.items().size(); i++) {
            T t = reader.read(n.items().get(i), p + "[" + i + "]", i);
            ok &= t != null;
            out.add(t);
        }
        return ok ? out : null;
    }

    <T> T required(Node parent, String key, String path, String hint, Function<Node, T> parse) {
        if (parent.get(key) == null) {
            problem(parent, join(path, key), "is missing", hint);
            return null;
        }
        return optional(parent, key, path, parse);
    }

    /** A scalar value parsed by {@code parse}; an {@link IllegalArgumentException}'s message becomes the problem. */
    <T> T optional(Node parent, String key, String path, Function<Node, T> parse) {
        Node n = parent.get(key);
        if (n == null) {
            return null;
        }
        String p = join(path, key);
        if (n.kind() != Node.Kind.SCALAR) {
            problem(n, p, "must be a single value", null);
            return null;
        }
        try {
            return parse.apply(n);
        } catch (IllegalArgumentException e) {
            problem(n, p, e.getMessage(), null);
            return null;
        }
    }

    String optionalText(Node parent, String key, String path, String fallback) {
        String s = optional(parent, key, path, n -> {
            if (n.text().isBlank()) {
                throw new IllegalArgumentException("must not be empty");
            }
            return n.text().trim();
        });
        return s == null ? fallback : s;
    }

    Boolean optionalBoolean(Node parent, String key, String path) {
        return optional(parent, key, path, n -> {
            switch (n.text().trim()) {
                case "true": return true;
                case "false": return false;
                default: throw new IllegalArgumentException("must be true or false, was \"" + n.text() + "\"");
            }
        });
    }

    boolean expectMap(Node n, String path) {
        if (n.kind() != Node.Kind.MAP) {
            problem(n, path, "must be a map of keys", null);
            return false;
        }
        return true;
    }

    void checkKeys(Node map, String path, Set<String> allowed) {
        for (String k : map.entries().keySet()) {
            if (!allowed.contains(k)) {
                int[] loc = map.keyLocation(k);
                String suggestion = DidYouMean.closest(k, allowed);
                problems.add(new Problem(file, loc[0], loc[1], join(path, k), "unknown key",
                        suggestion != null ? "did you mean \"" + suggestion + "\"?"
                                : "known keys here: " + String.join(", ", new TreeSet<>(allowed))));
            }
        }
    }

    /** Reads names straight from the list, so a duplicate is reported even when the items have other problems. */
    void uniqueNames(Node listNode, String path, String hint) {
        if (listNode == null || listNode.kind() != Node.Kind.LIST) {
            return;
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < listNode.items().size(); i++) {
            Node name = listNode.items().get(i).get("name");
            if (name != null && name.kind() == Node.Kind.SCALAR && !seen.add(name.text().trim())) {
                problem(name, path + "[" + i + "].name", "\"" + name.text().trim() + "\" is used twice", hint);
            }
        }
    }

    void problem(Node at, String path, String message, String hint) {
        String where = at.line() == 0 ? "(override)" : file;
        problems.add(new Problem(where, at.line(), at.column(), path, message, hint));
    }

    static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, was \"" + text + "\"");
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
