package dev.loadleak.engine.http1;

/**
 * Byte-level tests on one line of an HTTP/1.x head, as the lean client's parser holds it in a
 * byte array: no String is made on the hot path. Header names compare case-insensitively (ASCII).
 */
final class AsciiLine {
    private AsciiLine() {
    }

    /** Whether the line at {@code o} starts with {@code s}. */
    static boolean startsWith(byte[] line, int o, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (line[o + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the name {@code line[o, colon)} is {@code lower} (ASCII, case-insensitively). */
    static boolean nameIs(byte[] line, int o, String lower, int colon) {
        if (colon - o != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            byte c = line[o + i];
            if ((c | 0x20) != lower.charAt(i) && c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean valueEndsWith(byte[] line, String lower, int vs, int ve) {
        int start = ve - lower.length();
        if (start < vs) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if ((line[start + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the value {@code line[vs, ve)} contains {@code lower} (ASCII, case-insensitively). */
    static boolean valueContains(byte[] line, String lower, int vs, int ve) {
        outer:
        for (int start = vs; start + lower.length() <= ve; start++) {
            for (int i = 0; i < lower.length(); i++) {
                if ((line[start + i] | 0x20) != lower.charAt(i)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    static String printable(byte[] line, int o, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, 60); i++) {
            int c = line[o + i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return n > 60 ? sb.append("...").toString() : sb.toString();
    }
}
