package dev.loadleak.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loadleak.cli.Cli;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.run.RunListener;
import dev.loadleak.run.RunSession;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code import openapi} on a document of Swagger Petstore v3's shape (src/test/resources/openapi):
 * the scenario it writes validates, names what it left out, reads the API key from the environment,
 * and runs against a small petstore on 127.0.0.1 with every step passing — the create/read/delete
 * flow reading back and deleting the pet it created, by the id the answer gave.
 */
class OpenApiImportTest {
    private static final Path SPEC = Path.of("src/test/resources/openapi/petstore.yaml");
    private static final String KEY = "k3y-from-the-environment";

    @TempDir
    Path tmp;

    private static JsonNode spec() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(SPEC.toFile());
    }

    @Test
    void thePetstoreBecomesASmokeFlowAndACrudFlow() throws Exception {
        OpenApiImport.Result r = OpenApiImport.convert(spec(), "petstore", "http://127.0.0.1:8080");
        String y = r.yaml();
        System.out.println(y);
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(y);
        assertEquals("http://127.0.0.1:8080", doc.path("target").asText());
        JsonNode smoke = doc.path("flows").get(0);
        assertEquals("smoke", smoke.path("name").asText());
        List<String> steps = new java.util.ArrayList<>();
        smoke.path("steps").forEach(st -> steps.add(st.path("name").asText()));
        assertEquals(List.of("addPet", "updatePet", "findPetsByStatus", "getPetById", "deletePet", "getInventory",
                "loginUser"), steps);
        JsonNode add = smoke.path("steps").get(0);
        assertEquals("/api/v3/pet", add.path("path").asText(), "the relative server's path goes first");
        assertEquals("doggie", add.path("body").path("name").asText(), "the schema's example");
        assertTrue(add.path("body").path("photoUrls").isArray() && !add.path("body").has("id"), add.toString());
        assertEquals("200", add.path("expect").path("status").asText());
        assertEquals("available", smoke.path("steps").get(2).path("query").path("status").asText());
        assertEquals("/api/v3/pet/1", smoke.path("steps").get(3).path("path").asText());
        assertEquals("${env:API_KEY}", smoke.path("steps").get(5).path("headers").path("api_key").asText());
        assertEquals("theUser", smoke.path("steps").get(6).path("query").path("username").asText());
        JsonNode crud = doc.path("flows").get(1);
        assertEquals("crud-pet", crud.path("name").asText());
        assertEquals("/id", crud.path("steps").get(0).path("extract").path("petId").path("json").asText());
        assertEquals("/api/v3/pet/${petId}", crud.path("steps").get(1).path("path").asText());
        assertEquals("DELETE", crud.path("steps").get(2).path("method").asText());
        assertEquals("${env:PASSWORD}", smoke.path("steps").get(6).path("query").path("password").asText(),
                "a password is never written, not even the document's example");
        assertEquals(Set.of("API_KEY", "PASSWORD"), r.env());
        assertTrue(r.skipped().contains("POST /pet/{petId}/uploadImage: its body is not JSON (application/octet-stream)"),
                r.skipped().toString());
        assertTrue(r.skipped().stream().anyMatch(s -> s.contains("only bearer and API-key schemes are filled")),
                r.skipped().toString());
        assertTrue(y.startsWith("# made by 'loadleak import openapi' from Swagger Petstore - OpenAPI 3.0 1.0.17\n"), y);
        assertTrue(y.contains("# set before running: API_KEY, PASSWORD\n"), y);
    }

    @Test
    void theScenarioRunsAgainstAPetstore() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Map<Long, JsonObject> pets = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger(100);
            AtomicInteger keyed = new AtomicInteger();
            HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
                String p = req.path();
                var res = req.response().putHeader("Content-Type", "application/json");
                if (p.equals("/api/v3/pet") && req.method().name().equals("POST")) {
                    JsonObject pet = body.toJsonObject().put("id", next.incrementAndGet());
                    pets.put(pet.getLong("id"), pet);
                    res.end(pet.encode());
                } else if (p.equals("/api/v3/pet")) {
                    res.end(body.toString());
                } else if (p.equals("/api/v3/pet/findByStatus")) {
                    res.end("[]");
                } else if (p.startsWith("/api/v3/pet/")) {
                    long id = Long.parseLong(p.substring("/api/v3/pet/".length()));
                    boolean fixture = id <= 10; // pets 1-10 are always there
                    JsonObject pet = fixture ? new JsonObject().put("id", id).put("name", "fixture") : pets.get(id);
                    if (pet == null) {
                        res.setStatusCode(404).end("{}");
                    } else if (req.method().name().equals("DELETE")) {
                        pets.remove(id);
                        res.end("{}");
                    } else {
                        res.end(pet.encode());
                    }
                } else if (p.equals("/api/v3/store/inventory")) {
                    boolean ok = KEY.equals(req.getHeader("api_key"));
                    keyed.addAndGet(ok ? 1 : 0);
                    res.setStatusCode(ok ? 200 : 401).end("{\"available\": 3}");
                } else if (p.equals("/api/v3/user/login")) {
                    res.end("\"session\"");
                } else {
                    res.setStatusCode(404).end("{}");
                }
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String yaml = OpenApiImport.convert(spec(), "petstore", "http://127.0.0.1:" + server.actualPort()).yaml()
                    .replace("duration: 30s", "duration: 3s").replace("rate: 1/s", "rate: 4/s");
            Path out = tmp.resolve("run");
            RunResult result = new RunSession(ScenarioLoader.parse("petstore.yaml", yaml, new ScenarioLoader.Options(
                    Map.of("API_KEY", KEY, "PASSWORD", "pa55word-from-env")::get, List.of(), false), out),
                    new RunSession.Settings(out, "test", 1, Shard.WHOLE, null), vertx, new RunListener() { })
                    .execute().result();
            FlowResult crud = result.userFlows().flows().get("crud-pet");
            FlowResult smoke = result.userFlows().flows().get("smoke");
            assertTrue(crud.completed() >= 3 && crud.failed() == 0, crud.toString());
            assertTrue(smoke.completed() >= 3 && smoke.failed() == 0, smoke.toString());
            assertEquals(0, result.load().overall().errors(), result.load().overall().errorsByKind().toString());
            // the smoke flow's addPet leaves its pet; the crud flow deletes each one it created (read back first)
            assertTrue(pets.size() <= smoke.started(), "pets left: " + pets.size() + ", smoke iterations " + smoke.started());
            assertTrue(keyed.get() >= 3, "the API key from the environment went out");
            try (Stream<Path> files = Files.walk(out)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertTrue(!Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(KEY),
                            "the key is a secret, never written: " + f);
                }
            }
        } finally {
            vertx.close();
        }
    }

    @Test
    void aRelativeServerWithoutATargetOrASwaggerTwoDocumentIsExitTwo() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.create(CommandLine.defaultFactory());
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("import", "openapi", SPEC.toString()));
        assertTrue(err.toString().contains("the document's first server is \"/api/v3\", not an absolute http(s) URL: "
                + "give the target with --target http://HOST:PORT"), err.toString());
        Path two = tmp.resolve("swagger.json");
        Files.writeString(two, "{\"swagger\": \"2.0\", \"paths\": {}}");
        err.getBuffer().setLength(0);
        assertEquals(2, cl.execute("import", "openapi", two.toString(), "--target", "http://127.0.0.1:1"));
        assertTrue(err.toString().contains("Swagger 2 documents are not read"), err.toString());
        Path scenario = tmp.resolve("petstore-smoke.yaml");
        err.getBuffer().setLength(0);
        assertEquals(0, cl.execute("import", "openapi", SPEC.toString(), "--target", "http://127.0.0.1:8080", "-o",
                scenario.toString()), err.toString());
        assertTrue(err.toString().contains("set before running: API_KEY, PASSWORD"), err.toString());
        assertTrue(Files.readString(scenario).contains("crud-pet"));
    }
}
