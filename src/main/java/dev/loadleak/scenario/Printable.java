package dev.loadleak.scenario;

/**
 * Text a target wrote, made safe to print: its control characters (C0 but newline and tab, DEL,
 * C1, whose ESC and CSI sequences would move a terminal's cursor, recolour it or rewrite its title)
 * and the bidirectional overrides (which reorder what a reader sees) become {@code ?}.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code s} with every control character but newline and tab replaced by {@code ?}. */
    public static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unsafe(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length()).append(s, 0, i);
                }
                b.append('?');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** One line of at most {@code max} characters (then "…"): whitespace runs are one space, controls {@code ?}. */
    public static String excerpt(String s, int max) {
        String one = clean(s.strip().replaceAll("\\s+", " "));
        return one.length() > max ? one.substring(0, max) + "…" : one;
    }

    static boolean unsafe(char c) {
        return c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f || c >= 0x202a && c <= 0x202e
                || c >= 0x2066 && c <= 0x2069;
    }
}
