package dev.loadleak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.PackageDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape rules of STYLE.md, read from the sources as Java: no inline {@code dev.loadleak…}
 * qualified names (the imports say what a file uses); no file of src/main over 400 lines, no method
 * or constructor over 60; the built-in target does not depend on {@code serve}; the result contract
 * depends on no stage; the engine's rooms point one way.
 *
 * <p>What broke a rule before this test existed is listed below with its size then: it may shrink,
 * never grow, and an entry that meets the rule again must leave the list. So the list only gets
 * shorter, and nothing new joins it.
 */
class ArchitectureTest {
    private static final int MAX_FILE_LINES = 400;
    private static final int MAX_METHOD_LINES = 60;
    /** Files over 400 lines, at most this long. */
    private static final Map<String, Integer> LONG_FILES = Map.of();
    /** Methods over 60 lines (file#method), at most this long. */
    private static final Map<String, Integer> LONG_METHODS = Map.of();
    /** Built-in target files that still reach into serve (its /metrics and health answer for serve too). */
    private static final List<String> TARGET_ON_SERVE = List.of();

    private static final Path MAIN = Path.of("src/main/java/dev/loadleak");
    private static final Map<String, CompilationUnit> SOURCES = new TreeMap<>();
    private static final Map<String, Integer> LINES = new TreeMap<>();

    @BeforeAll
    static void parse() throws IOException {
        StaticJavaParser.getParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String name = MAIN.relativize(f).toString().replace('\\', '/');
                String text = Files.readString(f);
                SOURCES.put(name, StaticJavaParser.parse(text));
                LINES.put(name, (int) text.lines().count());
            }
        }
        assertTrue(SOURCES.size() > 100, "the sources were found: " + SOURCES.size());
    }

    @Test
    void noInlineQualifiedNamesOfOurOwnClasses() {
        List<String> found = new ArrayList<>();
        SOURCES.forEach((file, cu) -> {
            cu.findAll(ClassOrInterfaceType.class).stream()
                    .filter(t -> t.getNameWithScope().startsWith("dev.loadleak.") && outsideImports(t))
                    .forEach(t -> found.add(file + ":" + line(t) + " " + t.getNameWithScope()));
            cu.findAll(FieldAccessExpr.class).stream()
                    .filter(e -> e.toString().startsWith("dev.loadleak.") && outsideImports(e)
                            && !(e.getParentNode().orElse(null) instanceof FieldAccessExpr))
                    .forEach(e -> found.add(file + ":" + line(e) + " " + e));
        });
        assertEquals(List.of(), found, "import what a file uses");
    }

    @Test
    void filesStayUnderFourHundredLines() {
        List<String> found = new ArrayList<>();
        LINES.forEach((file, n) -> {
            Integer allowed = LONG_FILES.get(file);
            if (allowed == null && n > MAX_FILE_LINES) {
                found.add(file + " has " + n + " lines (split a file that passes ~400)");
            } else if (allowed != null && n > allowed) {
                found.add(file + " grew to " + n + " lines; it was " + allowed + " and may only shrink");
            } else if (allowed != null && n <= MAX_FILE_LINES) {
                found.add(file + " has " + n + " lines now: take it off LONG_FILES");
            }
        });
        LONG_FILES.keySet().stream().filter(f -> !LINES.containsKey(f)).forEach(f -> found.add(f + " is gone: take it off LONG_FILES"));
        assertEquals(List.of(), found);
    }

    @Test
    void methodsStayUnderSixtyLines() {
        Map<String, Integer> longest = new TreeMap<>();
        SOURCES.forEach((file, cu) -> cu.findAll(CallableDeclaration.class).forEach(m -> {
            int n = m.getRange().map(r -> r.end.line - r.begin.line + 1).orElse(0);
            longest.merge(file + "#" + m.getNameAsString(), n, Math::max);
        }));
        List<String> found = new ArrayList<>();
        longest.forEach((key, n) -> {
            Integer allowed = LONG_METHODS.get(key);
            if (allowed == null && n > MAX_METHOD_LINES) {
                found.add(key + " has " + n + " lines (split a method that passes ~60)");
            } else if (allowed != null && n > allowed) {
                found.add(key + " grew to " + n + " lines; it was " + allowed + " and may only shrink");
            } else if (allowed != null && n <= MAX_METHOD_LINES) {
                found.add(key + " has " + n + " lines now: take it off LONG_METHODS");
            }
        });
        LONG_METHODS.keySet().stream().filter(k -> !longest.containsKey(k)).forEach(k -> found.add(k + " is gone: take it off LONG_METHODS"));
        assertEquals(List.of(), found);
    }

    @Test
    void theBuiltInTargetDoesNotDependOnTheService() {
        List<String> found = new ArrayList<>();
        SOURCES.forEach((file, cu) -> {
            boolean onServe = cu.getImports().stream().anyMatch(i -> i.getNameAsString().startsWith("dev.loadleak.serve"));
            if (file.startsWith("demoserver/") && onServe != TARGET_ON_SERVE.contains(file)) {
                found.add(onServe ? file + " imports dev.loadleak.serve" : file + " no longer imports serve: take it off TARGET_ON_SERVE");
            }
        });
        assertEquals(List.of(), found);
    }

    /**
     * The engine's rooms, each below the ones that use it: arrival schedules and the mix ({@code load})
     * and cookies and extraction ({@code cookies}) use no other room; the core (the package itself:
     * the flow driver, its users, requests in flight, the transport interface) uses those; each client
     * ({@code http1}, {@code vertx}) uses the core; {@code client}, which picks one, uses both.
     */
    private static final Map<String, Integer> ENGINE_ROOMS = Map.of("load", 0, "cookies", 0, "", 1, "http1", 2,
            "vertx", 2, "client", 3);

    @Test
    void engineRoomsPointOneWay() {
        List<String> found = new ArrayList<>();
        SOURCES.forEach((file, cu) -> {
            if (!file.startsWith("engine/")) {
                return;
            }
            String room = room(file.substring("engine/".length()).replaceAll("[^/]*$", ""));
            assertTrue(ENGINE_ROOMS.containsKey(room), file + " is in a room ENGINE_ROOMS does not rank");
            cu.getImports().stream().map(ImportDeclaration::getNameAsString)
                    .filter(i -> i.startsWith("dev.loadleak.engine."))
                    .forEach(i -> {
                        String[] parts = i.substring("dev.loadleak.engine.".length()).split("\\.");
                        String to = Character.isLowerCase(parts[0].charAt(0)) ? parts[0] : "";
                        if (!to.equals(room) && ENGINE_ROOMS.getOrDefault(to, 99) >= ENGINE_ROOMS.get(room)) {
                            found.add(file + " (room '" + room + "') imports " + i + " (room '" + to + "')");
                        }
                    });
        });
        assertEquals(List.of(), found, "a room uses only the rooms below it");
    }

    private static String room(String dir) {
        return dir.isEmpty() ? "" : dir.substring(0, dir.length() - 1);
    }

    /** The result contract is a leaf every stage may use: it reads only the scenario's validated words. */
    @Test
    void theResultContractUsesNoStage() {
        List<String> found = new ArrayList<>();
        SOURCES.forEach((file, cu) -> cu.getImports().stream().map(ImportDeclaration::getNameAsString)
                .filter(i -> file.startsWith("result/") && i.startsWith("dev.loadleak.")
                        && !i.startsWith("dev.loadleak.result.") && !i.startsWith("dev.loadleak.scenario."))
                .forEach(i -> found.add(file + " imports " + i)));
        assertEquals(List.of(), found);
    }

    private static boolean outsideImports(Node n) {
        return n.findAncestor(ImportDeclaration.class).isEmpty() && n.findAncestor(PackageDeclaration.class).isEmpty();
    }

    private static int line(Node n) {
        return n.getBegin().map(p -> p.line).orElse(0);
    }
}
