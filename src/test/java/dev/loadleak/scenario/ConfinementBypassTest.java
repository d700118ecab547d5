package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a URL was found (or is known) to lead past {@code --allow-target}: a path that names a
 * host ({@code //host}, {@code /\host}), a URL without a host ({@code http:/x}), user information
 * ({@code http://allowed@evil/}), an expression that matched the raw string rather than the host
 * ({@code http://evil.com?.staging.example.com}), an escaped slash, IPv6 literals — in each place
 * a scenario names a URL: the target, the preflight, a memory source, a request, a setup step.
 * The addresses are never contacted: the scenario is only validated.
 */
class ConfinementBypassTest {
    private static final String HEAD = "target: http://127.0.0.1:18091\nphases: [{duration: 1s, rate: 1/s}]\n";
    private static final Confinement LOCAL = Confinement.server(false, null, Set.of(),
            Pattern.compile("^http://127\\.0\\.0\\.1:18091(/.*)?$"));
    private static final Confinement STAGING = Confinement.server(false, null, Set.of(),
            Pattern.compile("https?://[^/]*\\.staging\\.example\\.com(:\\d+)?(/.*)?"));

    @TempDir
    Path tmp;

    private Problem refused(Confinement c, String yaml) {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("posted.yaml",
                yaml, new ScenarioLoader.Options(Map.<String, String>of()::get, List.of(), false).confinedTo(c), tmp),
                yaml);
        assertEquals(1, e.problems().size(), e.problems().toString());
        return e.problems().get(0);
    }

    private static String in(String where, String url) {
        return switch (where) {
            case "memory" -> HEAD + "requests: [{path: /}]\nmemory:\n  sources:\n    - {type: prometheus, url: \"" + url
                    + "\", metric: m}\n";
            case "preflight" -> HEAD + "requests: [{path: /}]\npreflight: {url: \"" + url + "\"}\n";
            case "request" -> HEAD + "requests: [{path: \"" + url + "\"}]\n";
            case "setup" -> HEAD.replace("rate: 1/s", "concurrency: 2") + "setup: [{name: s, path: \"" + url + "\"}]\nflows:\n  - {name: f, steps: [{path: /}]}\n";
            default -> throw new IllegalArgumentException(where);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"//127.0.0.2:18099/metrics", "/\\\\127.0.0.2:18099/metrics", "http:/127.0.0.2/x",
        "http://127.0.0.1:18091@127.0.0.2:18099/x", "http://127.0.0.1:18091%2F@127.0.0.2/x", "http://[::1]:18091/x",
        "http://[::ffff:127.0.0.2]:18091/x", "http://127.0.0.2:18091/127.0.0.1:18091/x", "http://127.0.0.1:18099/x",
        "ftp://127.0.0.1:18091/x", "http://127.0.0.1:18091\\\\@127.0.0.2/x"})
    void noPlaceTakesABypassUrl(String url) {
        for (String where : List.of("memory", "preflight", "request", "setup")) {
            Problem p = refused(LOCAL, in(where, url));
            assertTrue(p.line() > 0, p.toString());
            assertTrue(p.message().contains("allow-target") || p.message().contains("names a host")
                    || p.message().contains("not a URL") || p.message().contains("must start with /"), where + ": " + p);
        }
    }

    @Test
    void theTargetItselfIsCheckedOnItsParsedHost() {
        for (String t : List.of("http://127.0.0.1:18091@127.0.0.2:18091", "http://127.0.0.2:18091/127.0.0.1:18091",
                "http://[::ffff:7f00:2]:18091")) {
            assertEquals("target", refused(LOCAL, HEAD.replace("http://127.0.0.1:18091", t) + "requests: [{path: /}]\n")
                    .path(), t);
        }
    }

    @Test
    void aLooseExpressionIsMatchedAgainstTheHostNotTheRawString() {
        // the --help example accepted this whole string; its host is evil.com
        assertNotNull(LOCAL.targetRefusal(URI.create("http://evil.com?.staging.example.com")));
        assertNotNull(STAGING.targetRefusal(URI.create("http://evil.com?.staging.example.com")));
        assertNotNull(STAGING.targetRefusal(URI.create("http://evil.com/x.staging.example.com")));
        assertNotNull(STAGING.targetRefusal(URI.create("http://evil.com#.staging.example.com")));
        assertNotNull(STAGING.targetRefusal(URI.create("https://api.staging.example.com@evil.com/")));
        assertNull(STAGING.targetRefusal(URI.create("https://api.staging.example.com/v1/items?x=1")));
        assertNull(STAGING.targetRefusal(URI.create("http://api.staging.example.com:8443/")));
        assertNull(LOCAL.targetRefusal(URI.create("http://127.0.0.1:18091/any/path")));
        assertTrue(STAGING.targetRefusal(URI.create("http://evil.com/")).contains("is matched against http://evil.com:80"));
    }

    @Test
    void aPathStaysOnTheTargetsOriginWhateverPathTheTargetHas() {
        URI target = URI.create("http://127.0.0.1:18091/base/");
        assertEquals(URI.create("http://127.0.0.1:18091/metrics"), Confinement.resolve(target, "/metrics"));
        // URI.resolve took the host from "//…"; the origin keeps it even for a value built at run time
        assertEquals("127.0.0.1", Confinement.resolve(target, "//127.0.0.2:18099/m").getHost());
        assertEquals(URI.create("http://other:1/x"), Confinement.resolve(target, "http://other:1/x"));
    }

    @Test
    void aPathThatNamesAHostIsRefusedOnTheCommandLineToo() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("cli.yaml",
                in("request", "//127.0.0.2:18099/x"), new ScenarioLoader.Options(Map.<String, String>of()::get, List.of(),
                        false), tmp));
        assertTrue(e.problems().get(0).message().contains("names a host, not a path"), e.problems().toString());
    }

    @Test
    void aRequestWithAVariableAfterTheHostIsStillChecked() throws Exception {
        assertNotNull(ScenarioLoader.parse("posted.yaml", HEAD + "requests: [{path: \"http://127.0.0.1:18091/i/${seq}\"}]\n",
                new ScenarioLoader.Options(Map.<String, String>of()::get, List.of(), false).confinedTo(LOCAL), tmp));
        assertTrue(refused(LOCAL, HEAD + "requests: [{path: \"http://127.0.0.1:18091${seq}/x\"}]\n").message()
                .contains("variable in the host"));
        assertTrue(refused(LOCAL, HEAD + "requests: [{path: \"http://127.0.0.1:18091@127.0.0.2/${seq}\"}]\n").message()
                .contains("user information"));
    }
}
