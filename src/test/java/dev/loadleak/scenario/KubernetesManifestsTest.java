package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in native/k8s agree with each other and with the CLI: an Indexed Job
 * whose completions, parallelism and --shard count match, JOB_COMPLETION_INDEX in the shard
 * argument and the output directory, the merge job listing every shard's directory, and a
 * scenario that validates.
 */
class KubernetesManifestsTest {
    private static final Path K8S = Path.of("native/k8s");
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void shardsJobMergeJobAndScenarioAgree() throws Exception {
        JsonNode shards = yaml.readTree(K8S.resolve("job-shards.yaml").toFile());
        assertEquals("Job", shards.path("kind").asText());
        JsonNode spec = shards.path("spec");
        assertEquals("Indexed", spec.path("completionMode").asText());
        int n = spec.path("completions").asInt();
        assertTrue(n >= 2, "a sharded run has shards");
        assertEquals(n, spec.path("parallelism").asInt(), "all shards run at once");
        JsonNode container = spec.path("template").path("spec").path("containers").get(0);
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        assertEquals("run", args.get(0));
        assertEquals("$(JOB_COMPLETION_INDEX)/" + n, args.get(args.indexOf("--shard") + 1));
        String out = args.get(args.indexOf("--out") + 1);
        assertEquals("/results/shard-$(JOB_COMPLETION_INDEX)", out);
        boolean indexEnv = false;
        for (JsonNode e : container.path("env")) {
            indexEnv |= e.path("name").asText().equals("JOB_COMPLETION_INDEX");
        }
        assertTrue(indexEnv, "JOB_COMPLETION_INDEX is declared so that it expands in args");
        String scenarioPath = args.get(1);
        assertTrue(scenarioPath.startsWith("/scenario/"), scenarioPath);

        JsonNode merge = yaml.readTree(K8S.resolve("job-merge.yaml").toFile());
        List<String> margs = new ArrayList<>();
        merge.path("spec").path("template").path("spec").path("containers").get(0).path("args")
                .forEach(a -> margs.add(a.asText()));
        assertEquals("merge", margs.get(0));
        for (int i = 0; i < n; i++) {
            assertTrue(margs.contains("/results/shard-" + i), "merge reads shard " + i + ": " + margs);
        }
        assertEquals(n + 3, margs.size(), "merge lists exactly the shards: " + margs);

        JsonNode kustomization = yaml.readTree(K8S.resolve("kustomization.yaml").toFile());
        String file = kustomization.path("configMapGenerator").get(0).path("files").get(0).asText();
        assertEquals(scenarioPath.substring("/scenario/".length()), file);
        Scenario s = ScenarioLoader.load(K8S.resolve(file));
        assertTrue(s.phases().size() > 0);
    }
}
