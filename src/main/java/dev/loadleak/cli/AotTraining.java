package dev.loadleak.cli;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The workload that trains the JVM's AOT cache (JDK 25+, JEP 483/515) when Quarkus builds it
 * ({@code ./mvnw package -Daot}: Quarkus starts the packaged application once with
 * {@code -XX:AOTCacheOutput} and {@code -Dquarkus.appcds.generate=true}). Quarkus would only boot
 * and exit; loadleak's hot path is the load itself, so the training run instead drives the paths a
 * user's first seconds take: {@code validate}, a {@code run} of an open-model phase then a max-rate
 * phase (lean client, schedules, histograms, collector, memory scrapes, scoring, every report),
 * and {@code report} of the result. The target is a tiny Vert.x server on 127.0.0.1 started here
 * (JSON answers and a Prometheus page), so training needs no network and no second process.
 * Classes loaded and method profiles gathered in this run go into {@code app.aot}.
 */
final class AotTraining {
    static final String PROPERTY = "quarkus.appcds.generate";
    private static final String MEDIA = "{\"id\":1,\"title\":\"Media 1\",\"type\":\"video\",\"sizeBytes\":1048576}";

    private AotTraining() {
    }

    /** Whether this process is Quarkus' AOT-cache training run. */
    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Runs the training workload; its output is discarded, its exit code is the run's. */
    static int train(CommandLine.IFactory factory, Vertx vertx) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/metrics")) {
                req.response().putHeader("content-type", "text/plain; version=0.0.4")
                        .end("# TYPE jvm_gc_live_data_size_bytes gauge\njvm_gc_live_data_size_bytes "
                                + (50_000_000 + System.nanoTime() % 1_000_000) + "\n");
            } else if (req.method().name().equals("POST")) {
                req.response().setStatusCode(201).putHeader("content-type", "application/json").end(MEDIA);
            } else {
                req.response().putHeader("content-type", "application/json").end(MEDIA);
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path dir = Files.createTempDirectory("loadleak-aot-training");
        try {
            Path scenario = dir.resolve("training.yaml");
            Files.writeString(scenario, scenario(server.actualPort()));
            StringWriter sink = new StringWriter();
            int validate = quiet(factory, sink, "validate", scenario.toString());
            int run = quiet(factory, sink, "run", scenario.toString(), "--out", dir.resolve("out").toString(), "--quiet");
            int report = quiet(factory, sink, "report", dir.resolve("out/result.json").toString(), "--format", "html",
                    "-o", dir.resolve("again.html").toString());
            if (validate != ExitCodes.OK || run > ExitCodes.CRITERIA_FAILED || report != ExitCodes.OK) {
                System.err.println("AOT training: validate " + validate + ", run " + run + ", report " + report + "\n" + sink);
                return ExitCodes.COULD_NOT_RUN;
            }
            return ExitCodes.OK;
        } finally {
            server.close();
            deleteTree(dir);
        }
    }

    private static int quiet(CommandLine.IFactory factory, StringWriter sink, String... args) {
        CommandLine cmd = Cli.create(factory, args);
        cmd.setOut(new PrintWriter(sink, true));
        cmd.setErr(new PrintWriter(sink, true));
        return cmd.execute(args);
    }

    static String scenario(int port) {
        return "name: aot-training\ntarget: http://127.0.0.1:" + port + "\n"
                + "defaults: {maxConnections: 32, timeout: 5s}\n"
                + "phases:\n"
                + "  - {name: open, duration: 2s, rate: 3000/s, warmup: true}\n"
                + "  - {name: max, duration: 5s, max: true}\n"
                + "requests:\n"
                + "  - {name: get-media, path: '/api/v1/media/${random:1..500}', weight: 3, expect: {status: 200, bodyContains: title}}\n"
                + "  - {name: create-media, method: POST, path: /api/v1/media, body: {title: t, type: video}, expect: {status: 201}}\n"
                + "memory:\n  interval: 250ms\n  sources:\n"
                + "    - {name: heap-after-gc, type: prometheus, url: /metrics, metric: jvm_gc_live_data_size_bytes}\n"
                + "criteria:\n  required: [p95 < 1s, error_rate < 1%]\n  target: [throughput > 100/s, memory_growth < 50MB/h]\n";
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
