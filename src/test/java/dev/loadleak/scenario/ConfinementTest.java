package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scenario posted to {@code loadleak serve} cannot start programs, watch processes, read files
 * outside the files folder (no absolute path, no {@code ..}, no link leading out), read
 * environment variables that were not allowed, or send to a URL {@code --allow-target} refuses;
 * each refusal is a problem with its line and key. The command line is not confined.
 */
class ConfinementTest {
    private static final String HEAD = "target: http://127.0.0.1:8080\nphases: [{duration: 1s, rate: 1/s}]\n";
    private static final Map<String, String> ENV = Map.of("API_TOKEN", "t0ken-value", "HOME", "/home/someone",
            "SERVICE_TOKEN", "service-secret");

    @TempDir
    Path tmp;
    private Path files;
    private Path outside;

    @BeforeEach
    void folders() throws Exception {
        files = Files.createDirectories(tmp.resolve("files"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(files.resolve("body.json"), "{\"a\":1}");
        Files.writeString(files.resolve("users.csv"), "name\nann\nbob\n");
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.writeString(outside.resolve("users.csv"), "name\nroot\n");
    }

    private Scenario parse(Confinement c, String yaml) throws InvalidScenarioException {
        return ScenarioLoader.parse("posted.yaml", yaml,
                new ScenarioLoader.Options(ENV::get, List.of(), false).confinedTo(c), tmp);
    }

    private Problem refused(Confinement c, String yaml) {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> parse(c, yaml));
        assertEquals(1, e.problems().size(), e.problems().toString());
        Problem p = e.problems().get(0);
        assertTrue(p.line() > 0, p.toString());
        assertTrue(p.file().equals("posted.yaml"), p.toString());
        return p;
    }

    private static Confinement closed() {
        return Confinement.server(false, null, Set.of(), null);
    }

    private Confinement withFiles() {
        return Confinement.server(false, files, Set.of(), null);
    }

    @Test
    void launchPidAndPidfileNeedAllowLaunch() throws Exception {
        Problem p = refused(closed(), HEAD + "requests: [{path: /}]\nmemory:\n  sources:\n    - type: process\n"
                + "      launch: \"sh -c 'cat /etc/passwd'\"\n");
        assertEquals("memory.sources[0].launch", p.path());
        assertEquals(7, p.line());
        assertTrue(p.message().contains("--allow-launch"), p.message());
        assertEquals("memory.sources[0].pid", refused(closed(), HEAD + "requests: [{path: /}]\nmemory:\n  sources:\n"
                + "    - {type: process, pid: 1, evidence: classHistogram}\n").path());
        Problem inspector = refused(closed(), HEAD + "requests: [{path: /}]\nmemory:\n  sources:\n"
                + "    - {type: node, inspect: \"127.0.0.1:9229\", forceGc: true}\n");
        assertEquals("memory.sources[0].inspect", inspector.path());
        assertTrue(inspector.message().contains("can run code in the target") && inspector.message()
                .contains("--allow-launch"), inspector.message());
        Scenario ok = parse(Confinement.server(true, null, Set.of(), null), HEAD
                + "requests: [{path: /}]\nmemory:\n  sources:\n    - {type: process, launch: \"java -jar app.jar\"}\n");
        assertEquals("java -jar app.jar", ((MemoryConfig.Process) ok.memory().sources().get(0)).launch());
    }

    @Test
    void noFileIsReadWithoutAFilesFolder() {
        Problem p = refused(closed(), HEAD + "requests: [{path: /, method: POST, bodyFile: files/body.json}]\n");
        assertEquals("requests[0].bodyFile", p.path());
        assertTrue(p.message().contains("--files-dir"), p.message());
        assertTrue(refused(closed(), HEAD + "requests: [{path: \"/u/${csv:files/users.csv:name}\"}]\n").message()
                .contains("--files-dir"));
    }

    @Test
    void filesAreReadInsideTheFilesFolderOnly() throws Exception {
        Scenario s = parse(withFiles(), HEAD + "requests:\n  - {path: /, method: POST, bodyFile: body.json}\n"
                + "  - {name: u, path: \"/u/${csv:users.csv:name}\"}\n"
                + "  - {name: up, path: /up, method: POST, multipart: {file: body.json}}\n");
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                ((RequestSpec.FileBody) s.requests().get(0).body()).bytes());
        for (String name : List.of("../outside/secret.txt", "./../outside/secret.txt", "sub/../../outside/secret.txt",
                outside.resolve("secret.txt").toString(), "/etc/passwd", "~/.ssh/id_rsa")) {
            Problem p = refused(withFiles(), HEAD + "requests: [{path: /, method: POST, bodyFile: \"" + name + "\"}]\n");
            assertEquals("requests[0].bodyFile", p.path(), name);
            assertTrue(p.message().contains("--files-dir"), name + ": " + p.message());
        }
        assertTrue(refused(withFiles(), HEAD + "requests: [{path: \"/u/${csv:../outside/users.csv:name}\"}]\n")
                .message().contains("--files-dir"));
        assertEquals("requests[0].multipart.file", refused(withFiles(), HEAD
                + "requests: [{path: /, method: POST, multipart: {file: ../outside/secret.txt}}]\n").path());
    }

    @Test
    void aLinkThatLeadsOutOfTheFilesFolderIsRefused() throws Exception {
        Files.createSymbolicLink(files.resolve("link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(files.resolve("dir"), outside);
        Files.createSymbolicLink(files.resolve("dangling"), outside.resolve("nothing-here"));
        Files.createSymbolicLink(files.resolve("inside.json"), files.resolve("body.json"));
        for (String name : List.of("link.txt", "dir/secret.txt", "dangling")) {
            Problem p = refused(withFiles(), HEAD + "requests: [{path: /, method: POST, bodyFile: " + name + "}]\n");
            assertTrue(p.message().contains("--files-dir"), name + ": " + p.message());
        }
        assertTrue(refused(withFiles(), HEAD + "requests: [{path: \"/u/${csv:dir/users.csv:name}\"}]\n")
                .message().contains("--files-dir"));
        Scenario s = parse(withFiles(), HEAD + "requests: [{path: /, method: POST, bodyFile: inside.json}]\n");
        assertNotNull(s, "a link that stays inside the folder is allowed");
    }

    @Test
    void onlyListedEnvironmentVariablesAreRead() throws Exception {
        Problem p = refused(closed(), HEAD + "requests: [{path: /, headers: {Authorization: \"Bearer ${env:SERVICE_TOKEN}\"}}]\n");
        assertTrue(p.message().contains("--allow-env SERVICE_TOKEN"), p.message());
        assertTrue(refused(closed(), HEAD + "requests: [{path: \"/${env:HOME:-x}\"}]\n").message().contains("HOME"),
                "a default does not open an unlisted variable");
        assertEquals("memory.sources[0].tokenEnv", refused(closed(), HEAD + "requests: [{path: /}]\nmemory:\n  sources:\n"
                + "    - {type: prometheus, metric: m, tokenEnv: SERVICE_TOKEN}\n").path());
        Scenario s = parse(Confinement.server(false, null, Set.of("API_TOKEN"), null), HEAD
                + "requests: [{path: /, headers: {Authorization: \"Bearer ${env:API_TOKEN}\"}}]\n");
        assertTrue(s.secrets().contains("t0ken-value"), "an allowed variable's value is still a secret");
    }

    @Test
    void allowTargetLimitsEveryUrlLoadOrScrapesGoTo() throws Exception {
        Confinement c = Confinement.server(false, null, Set.of(), Pattern.compile("http://127\\.0\\.0\\.1:\\d+(/.*)?"));
        assertNotNull(parse(c, HEAD + "requests: [{path: /}]\npreflight: {url: /health}\n"));
        Problem p = refused(c, HEAD.replace("127.0.0.1:8080", "metadata.example.invalid") + "requests: [{path: /}]\n");
        assertEquals("target", p.path());
        assertTrue(p.message().contains("--allow-target"), p.message());
        assertEquals("preflight.url", refused(c, HEAD + "requests: [{path: /}]\n"
                + "preflight: {url: \"http://other.example.invalid/health\"}\n").path());
        assertEquals("memory.sources[0].url", refused(c, HEAD + "requests: [{path: /}]\nmemory:\n  sources:\n"
                + "    - {type: json, url: \"http://metadata.example.invalid/x\", pointer: /a}\n").path());
        assertEquals("defaults.followRedirects", refused(c, HEAD + "requests: [{path: /}]\n"
                + "defaults: {followRedirects: 3}\n").path());
        assertEquals("requests[0].path", refused(c, HEAD + "requests: [{path: \"http://other.example.invalid/x\"}]\n").path(),
                "a request written as a full URL");
        assertTrue(refused(c, HEAD + "requests: [{path: \"http://${env:HOME}/x\"}]\n").message()
                .contains("variable in the host"), "a variable in the host could lead anywhere");
        assertNotNull(parse(c, HEAD + "requests: [{path: \"http://127.0.0.1:9000/items/${uuid}\"}]\n"));
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("posted.yaml",
                HEAD + "requests: [{path: /}]\n", new ScenarioLoader.Options(ENV::get,
                        List.of("target=http://other.example.invalid:80"), false).confinedTo(c), tmp));
        assertTrue(e.problems().get(0).message().contains("--allow-target"), "an override is checked too");
    }

    @Test
    void theCommandLineIsNotConfined() throws Exception {
        Scenario s = ScenarioLoader.parse("cli.yaml", HEAD + "requests: [{path: /, method: POST, bodyFile: "
                + "outside/secret.txt, headers: {X-Home: \"${env:HOME}\"}}]\nmemory:\n  sources:\n"
                + "    - {type: process, launch: \"sleep 1\"}\n", new ScenarioLoader.Options(ENV::get, List.of(), false), tmp);
        assertArrayEquals("top secret".getBytes(StandardCharsets.UTF_8),
                ((RequestSpec.FileBody) s.requests().get(0).body()).bytes());
    }
}
