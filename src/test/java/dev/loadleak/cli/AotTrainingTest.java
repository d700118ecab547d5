package dev.loadleak.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The AOT cache's training workload runs for real: its scenario is valid, its run against the
 * training server on 127.0.0.1 ends GO or NO-GO (never "could not run"), and its result renders.
 * A training that broke would otherwise only show as a slower start with the cache.
 */
@QuarkusTest
class AotTrainingTest {
    @Inject
    CommandLine.IFactory factory;
    @Inject
    Vertx vertx;

    @Test
    void theTrainingWorkloadRunsAndLeavesNothingBehind() throws Exception {
        long before;
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            before = s.filter(p -> p.getFileName().toString().startsWith("loadleak-aot-training")).count();
        }
        assertEquals(0, AotTraining.train(factory, vertx));
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(before, s.filter(p -> p.getFileName().toString().startsWith("loadleak-aot-training")).count(),
                    "the training's temporary directory is removed");
        }
    }
}
