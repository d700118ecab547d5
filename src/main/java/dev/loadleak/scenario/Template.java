package dev.loadleak.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Text with variables, compiled once and rendered per request:
 * {@code ${random:1..500}}, {@code ${uuid}}, {@code ${seq}}, {@code ${csv:FILE:COLUMN}} (round
 * robin; {@code ${csv:FILE:COLUMN:random}} draws), {@code ${env:NAME}} and
 * {@code ${env:NAME:-default}} (resolved when the scenario is loaded; the values are secrets), and
 * in flows {@code ${NAME}}, a value an earlier step extracted.
 * {@code $$} writes a literal {@code $}.
 */
public final class Template {
    /** One piece of a template. */
    public sealed interface Part permits Literal, RandomInt, Uuid, Seq, CsvColumn, Var {
    }

    /** A value a flow step extracted ({@code ${name}}), read from the user's values at render time. */
    public record Var(String name, int slot) implements Part {
    }

    /** The extracted values a template reads its {@link Var}s from (a virtual user's, or setup's). */
    public interface Values {
        /** The value in {@code slot}, or null when nothing was extracted into it. */
        String value(int slot);
    }

    public record Literal(String text) implements Part {
    }

    public record RandomInt(long low, long high) implements Part {
    }

    public record Uuid() implements Part {
    }

    public record Seq() implements Part {
    }

    /** A column of a CSV file, loaded once; {@code random} draws a row, else row = seq mod rows. */
    public record CsvColumn(String file, String column, List<String> values, boolean random) implements Part {
    }

    private final List<Part> parts;
    private final String source;

    Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    public static Template literal(String text) {
        return new Template(text, List.of(new Literal(text)));
    }

    /**
     * Compiles {@code text}.
     *
     * @throws IllegalArgumentException naming the variable and how to write it
     */
    public static Template parse(String text, Variables vars) {
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
                lit.append('$');
                i += 2;
            } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("\"${\" without a closing \"}\" in \"" + text + "\"");
                }
                Part p = vars.variable(text.substring(i + 2, end).trim());
                if (p instanceof Literal l) {
                    lit.append(l.text());
                } else {
                    if (lit.length() > 0) {
                        parts.add(new Literal(lit.toString()));
                        lit.setLength(0);
                    }
                    parts.add(p);
                }
                i = end + 1;
            } else {
                lit.append(c);
                i++;
            }
        }
        if (lit.length() > 0 || parts.isEmpty()) {
            parts.add(new Literal(lit.toString()));
        }
        return new Template(text, parts);
    }

    public List<Part> parts() {
        return parts;
    }

    /** The text as written in the scenario (with variables, never the secret values). */
    public String source() {
        return source;
    }

    public boolean isConstant() {
        return parts.size() == 1 && parts.get(0) instanceof Literal;
    }

    /** The rendered text of a constant template. */
    public String constant() {
        if (!isConstant()) {
            throw new IllegalStateException("template has variables: " + source);
        }
        return ((Literal) parts.get(0)).text();
    }

    /** Renders for send number {@code seq}, drawing from {@code random}. */
    public void render(StringBuilder out, long seq, SplittableRandom random) {
        render(out, seq, random, null);
    }

    /** Whether any part reads an extracted value. */
    public boolean hasVars() {
        return parts.stream().anyMatch(p -> p instanceof Var);
    }

    /** Renders for send number {@code seq}, drawing from {@code random}, with extracted {@code values} (may be null). */
    public void render(StringBuilder out, long seq, SplittableRandom random, Values values) {
        for (Part p : parts) {
            if (p instanceof Literal l) {
                out.append(l.text());
            } else if (p instanceof RandomInt r) {
                out.append(r.low() + random.nextLong(r.high() - r.low() + 1));
            } else if (p instanceof Seq) {
                out.append(seq);
            } else if (p instanceof Uuid) {
                out.append(new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
                        random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L));
            } else if (p instanceof Var v) {
                String value = values == null ? null : values.value(v.slot());
                out.append(value == null ? "" : value);
            } else if (p instanceof CsvColumn c) {
                int row = c.random() ? random.nextInt(c.values().size()) : (int) Math.floorMod(seq, (long) c.values().size());
                out.append(c.values().get(row));
            }
        }
    }

    public String render(long seq, SplittableRandom random) {
        return render(seq, random, null);
    }

    public String render(long seq, SplittableRandom random, Values values) {
        StringBuilder sb = new StringBuilder();
        render(sb, seq, random, values);
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
