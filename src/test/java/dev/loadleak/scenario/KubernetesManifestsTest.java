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

    @Test
    void theServiceManifestsAgreeWithTheServeCommand() throws Exception {
        Path dir = K8S.resolve("serve");
        JsonNode deployment = yaml.readTree(dir.resolve("deployment.yaml").toFile());
        assertEquals("Deployment", deployment.path("kind").asText());
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode c = pod.path("containers").get(0);
        List<String> args = new ArrayList<>();
        c.path("args").forEach(a -> args.add(a.asText()));
        assertEquals("serve", args.get(0));
        String host = args.get(args.indexOf("--host") + 1);
        String tokenEnv = args.get(args.indexOf("--token-env") + 1);
        assertEquals("0.0.0.0", host, "reachable through the Service");
        JsonNode env = c.path("env").get(0);
        assertEquals(tokenEnv, env.path("name").asText(), "--token-env names the variable the Secret fills");
        JsonNode secret = env.path("valueFrom").path("secretKeyRef");
        assertEquals("loadleak-serve-token", secret.path("name").asText());
        int port = Integer.parseInt(args.get(args.indexOf("--port") + 1));
        assertEquals(port, c.path("ports").get(0).path("containerPort").asInt());
        assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
        String data = args.get(args.indexOf("--data") + 1);
        assertEquals(data, c.path("volumeMounts").get(0).path("mountPath").asText());
        String claim = pod.path("volumes").get(0).path("persistentVolumeClaim").path("claimName").asText();
        assertEquals(claim, yaml.readTree(dir.resolve("pvc.yaml").toFile()).path("metadata").path("name").asText());
        JsonNode service = yaml.readTree(dir.resolve("service.yaml").toFile());
        assertEquals(c.path("ports").get(0).path("name").asText(), service.path("spec").path("ports").get(0)
                .path("targetPort").asText());
        assertEquals(deployment.path("spec").path("selector").path("matchLabels"), service.path("spec").path("selector"));
        assertTrue(service.path("spec").path("publishNotReadyAddresses").asBoolean(),
                "the dashboard stays reachable while a run takes the only slot");
        Path kubectl = Path.of("/usr/bin/kubectl");
        if (java.nio.file.Files.isExecutable(kubectl)) {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            for (String kind : List.of("kind: Namespace", "kind: PersistentVolumeClaim", "kind: Deployment", "kind: Service")) {
                assertTrue(out.contains(kind), kind + " in:\n" + out);
            }
            assertTrue(out.contains("namespace: loadleak-serve"), out);
        }
    }
}
