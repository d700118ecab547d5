package dev.loadleak.scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves variables while a scenario is loaded: environment values (remembered as secrets),
 * CSV files relative to the scenario's folder (read once), and the per-request generators.
 */
public final class Variables {
    private static final Pattern RANDOM = Pattern.compile("random:(-?\\d+)\\.\\.(-?\\d+)");
    private static final Pattern ENV = Pattern.compile("env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?");
    private static final Pattern CSV = Pattern.compile("csv:([^:]+):([^:]+)(?::(random|roundrobin))?");

    private final Function<String, String> env;
    private final Path baseDir;
    private final Set<String> secrets = new LinkedHashSet<>();
    private final Map<Path, List<String[]>> csvCache = new HashMap<>();

    private final java.util.function.Consumer<String> missingEnv;
    private final Confinement confinement;
    /** Every variable a flow step or setup extracts, by name, to its slot. */
    private final Map<String, Integer> extracted = new HashMap<>();
    /** The extracted variables a template being read may use: those of earlier steps of its flow and of setup. */
    private Set<String> scope = Set.of();
    /** Names of the built-in variables, which an extraction may not take. */
    public static final Set<String> BUILT_IN = Set.of("uuid", "seq", "random", "env", "csv");

    public Variables(Function<String, String> env, Path baseDir) {
        this(env, baseDir, null);
    }

    /** {@code missingEnv}: told each unset variable without a default (then an empty value), instead of a problem. */
    public Variables(Function<String, String> env, Path baseDir, java.util.function.Consumer<String> missingEnv) {
        this(env, baseDir, missingEnv, Confinement.NONE);
    }

    /** {@code confinement}: which files and environment variables a scenario may read. */
    public Variables(Function<String, String> env, Path baseDir, java.util.function.Consumer<String> missingEnv,
                     Confinement confinement) {
        this.env = env;
        this.baseDir = baseDir;
        this.missingEnv = missingEnv;
        this.confinement = confinement;
    }

    /**
     * The file a scenario names ({@code bodyFile}, {@code multipart}, {@code csv:}), relative to the
     * scenario's folder, or to the server's files folder and confined to it.
     *
     * @throws IllegalArgumentException when it may not be read
     */
    Path file(String name) {
        return confinement.file(name, baseDir);
    }

    /** Throws when a request written as a full URL may not be sent (see {@link Confinement#requestUrlRefusal}). */
    void checkRequestUrl(String template) {
        String why = confinement.requestUrlRefusal(template);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }

    /** The environment values that were substituted: never to be printed. */
    public Set<String> secrets() {
        return secrets;
    }

    /** Declares the extracted variables (name to slot) before any step is read. */
    void declareExtracted(Map<String, Integer> slots) {
        extracted.putAll(slots);
    }

    /** The extracted variables that the templates read next may use. */
    void scope(Set<String> names) {
        scope = Set.copyOf(names);
    }

    Template.Part variable(String spec) {
        Integer slot = extracted.get(spec);
        if (slot != null) {
            if (!scope.contains(spec)) {
                throw new IllegalArgumentException("${" + spec + "} is used before any step of its flow (or setup:) "
                        + "extracts it; extract it in an earlier step");
            }
            return new Template.Var(spec, slot);
        }
        if (spec.equals("uuid")) {
            return new Template.Uuid();
        }
        if (spec.equals("seq")) {
            return new Template.Seq();
        }
        Matcher m = RANDOM.matcher(spec);
        if (m.matches()) {
            long lo = Long.parseLong(m.group(1));
            long hi = Long.parseLong(m.group(2));
            if (hi < lo) {
                throw new IllegalArgumentException("${" + spec + "}: the range is empty; write ${random:LOW..HIGH} with LOW <= HIGH");
            }
            return new Template.RandomInt(lo, hi);
        }
        m = ENV.matcher(spec);
        if (m.matches()) {
            String refused = confinement.envRefusal(m.group(1));
            if (refused != null) {
                throw new IllegalArgumentException(refused);
            }
            String value = env.apply(m.group(1));
            if (value == null) {
                if (m.group(2) == null && missingEnv != null) {
                    missingEnv.accept(m.group(1));
                    return new Template.Literal("");
                }
                if (m.group(2) == null) {
                    throw new IllegalArgumentException("environment variable " + m.group(1)
                            + " is not set; set it, or give a default: ${env:" + m.group(1) + ":-value}");
                }
                return new Template.Literal(m.group(2));
            }
            if (!value.isEmpty()) {
                secrets.add(value);
            }
            return new Template.Literal(value);
        }
        m = CSV.matcher(spec);
        if (m.matches()) {
            return csv(m.group(1), m.group(2), "random".equals(m.group(3)));
        }
        throw new IllegalArgumentException("unknown variable ${" + spec + "}; known: ${random:1..500}, ${uuid}, ${seq}, "
                + "${csv:FILE:COLUMN}, ${env:NAME}, ${env:NAME:-default}, and in flows ${NAME} of a value an earlier step extracts");
    }

    private Template.CsvColumn csv(String file, String column, boolean random) {
        Path p = file(file);
        List<String[]> rows = csvCache.computeIfAbsent(p, Variables::readCsv);
        if (rows == null || rows.isEmpty()) {
            throw new IllegalArgumentException("cannot read CSV file " + p + " (relative to the scenario's folder)");
        }
        String[] header = rows.get(0);
        int col = -1;
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().equals(column)) {
                col = i;
            }
        }
        if (col < 0) {
            throw new IllegalArgumentException("CSV file " + file + " has no column \"" + column + "\"; its columns: "
                    + String.join(", ", header));
        }
        List<String> values = new ArrayList<>();
        for (int r = 1; r < rows.size(); r++) {
            if (col < rows.get(r).length) {
                values.add(rows.get(r)[col].trim());
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("CSV file " + file + " has no rows under its header");
        }
        return new Template.CsvColumn(file, column, values, random);
    }

    /** A simple CSV: comma-separated, first line the header, double quotes around a field allowed. */
    private static List<String[]> readCsv(Path p) {
        try {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(splitCsvLine(line));
                }
            }
            return rows;
        } catch (IOException e) {
            return null;
        }
    }

    static String[] splitCsvLine(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
