package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Shard;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.Confinement;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run's journal holds what the run measured: the result rebuilt from it (as after a SIGKILL)
 * has the same counts, the same latency histograms per request, the same timeline and memory
 * samples as the result the run wrote itself, and is marked aborted. A last line cut short is
 * left out; the journal goes once result.json is written. A real run against a server on
 * 127.0.0.1, 3 s.
 */
class JournalReplayTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static Path written;
    private static Path kept;
    private static RunResult result;
    private static final String SECRET = "s3cr3t-journal-value";

    @BeforeAll
    static void run() throws Exception {
        vertx = Vertx.vertx();
        AtomicLong heap = new AtomicLong(50_000_000);
        server = vertx.createHttpServer().requestHandler(r -> {
            switch (r.path()) {
                case "/metrics" -> r.response().end("heap_bytes " + heap.addAndGet(100_000) + "\n");
                case "/bad" -> r.response().setStatusCode(500).end("no");
                default -> r.response().end("{\"ok\":true}");
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String yaml = "name: journaled\ntarget: http://127.0.0.1:" + server.actualPort() + "\n"
                + "phases:\n  - {name: warm, duration: 1s, rate: 50/s, warmup: true}\n  - {name: main, duration: 2s, rate: 100/s}\n"
                + "requests:\n  - {name: good, path: /, weight: 3, headers: {X-Key: \"${env:JOURNAL_SECRET}\"}}\n"
                + "  - {name: bad, path: /bad}\n"
                + "memory:\n  interval: 200ms\n  sources:\n    - {name: heap, type: prometheus, url: /metrics, metric: heap_bytes}\n"
                + "criteria:\n  required: [error_rate < 50%]\n";
        written = Files.createTempDirectory("journal-run");
        kept = Files.createTempDirectory("journal-kept");
        RunListener keepJournal = new RunListener() {
            @Override
            public void finished(RunResult r) {
                try { // the journal as a kill at this moment would leave it: every second collected
                    Files.copy(written.resolve(Journal.FILE), kept.resolve(Journal.FILE), StandardCopyOption.REPLACE_EXISTING);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        RunSession session = new RunSession(ScenarioLoader.parse("journaled.yaml", yaml, new ScenarioLoader.Options(
                Map.of("JOURNAL_SECRET", SECRET)::get, List.of(), false), written), new RunSession.Settings(written, "test", 1, Shard.WHOLE, null), vertx, keepJournal);
        result = session.execute().result();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static RunResult rebuilt(Path dir) throws Exception {
        return JournalReplay.rebuild(dir, System::getenv, Confinement.NONE).result();
    }

    @Test
    void theRebuiltResultHasTheSameFiguresAsTheWrittenOne() throws Exception {
        assertTrue(!Files.exists(written.resolve(Journal.FILE)), "the journal goes once result.json is written");
        RunResult r = rebuilt(kept);
        assertEquals(RunStatus.COMPLETED, result.status());
        assertEquals(RunStatus.ABORTED, r.status());
        assertTrue(result.load().overall().requests() > 150, result.load().overall().toString());
        for (String name : List.of("good", "bad")) {
            Stats a = result.load().requests().get(name);
            Stats b = r.load().requests().get(name);
            assertEquals(a.requests(), b.requests(), name);
            assertEquals(a.errors(), b.errors(), name);
            assertEquals(a.errorsByKind(), b.errorsByKind(), name);
            assertEquals(a.sent(), b.sent(), name);
            assertEquals(a.histograms(), b.histograms(), name + ": the same latency histograms, exactly");
        }
        assertEquals(result.load().timeline(), r.load().timeline());
        assertEquals(result.load().errorSamples(), r.load().errorSamples());
        assertEquals(result.targetMemory().memory().get(0).samples().size(), r.targetMemory().memory().get(0).samples().size());
        assertEquals(result.scoring().criteria().get(0).pass(), r.scoring().criteria().get(0).pass());
        assertTrue(r.scoring().verdictReasons().get(0).startsWith("aborted after"), r.scoring().verdictReasons().toString());
        assertTrue(r.failure().contains("rebuilt from journal.jsonl"), r.failure());
    }

    @Test
    void aLastLineCutShortByTheKillIsLeftOut() throws Exception {
        Path dir = Files.createTempDirectory("journal-cut");
        List<String> lines = Files.readAllLines(kept.resolve(Journal.FILE));
        Files.write(dir.resolve(Journal.FILE), lines.subList(0, lines.size() - 1));
        String last = lines.get(lines.size() - 1);
        Files.writeString(dir.resolve(Journal.FILE), last.substring(0, last.length() / 2), StandardOpenOption.APPEND);
        RunResult r = rebuilt(dir);
        assertEquals(result.load().timeline().size() - 1, r.load().timeline().size());
        assertEquals(result.load().timeline().subList(0, r.load().timeline().size()), r.load().timeline());
        long all = r.load().phases().values().stream().mapToLong(Stats::requests).sum();
        assertEquals(r.load().timeline().stream().mapToLong(p -> p.requests()).sum(), all,
                "the counts are those of the seconds kept, the timeline's");
    }

    @Test
    void aCutAtEveryByteOfTheLastLineLeavesOutThatLineOnly() throws Exception {
        byte[] all = Files.readAllBytes(kept.resolve(Journal.FILE));
        int lastStart = all.length - 1;
        while (lastStart > 0 && all[lastStart - 1] != '\n') {
            lastStart--;
        }
        Path dir = Files.createTempDirectory("journal-every-byte");
        int before = -1;
        // every cut inside the last line (a power cut mid-write): the same result as without that line
        for (int cut = lastStart; cut < all.length - 1; cut++) {
            Files.write(dir.resolve(Journal.FILE), java.util.Arrays.copyOf(all, cut));
            RunResult r = rebuilt(dir);
            if (before < 0) {
                before = r.load().timeline().size();
                assertEquals(result.load().timeline().size() - 1, before);
            }
            assertEquals(before, r.load().timeline().size(), "cut at byte " + cut);
            assertEquals(result.load().timeline().subList(0, before), r.load().timeline(), "cut at byte " + cut);
        }
        Files.write(dir.resolve(Journal.FILE), all);
        assertEquals(result.load().timeline(), rebuilt(dir).load().timeline(), "whole, the last line counts");
    }

    @Test
    void aSecondRunOnTheSameOutDirectoryIsRefused() throws Exception {
        try (OutDirLock held = OutDirLock.acquire(written)) {
            RunFailure f = assertThrows(RunFailure.class, () -> OutDirLock.acquire(written));
            assertEquals(RunFailure.Kind.BAD_OUTPUT, f.kind());
            assertTrue(f.getMessage().contains("another loadleak run is writing to"), f.getMessage());
        }
        OutDirLock.acquire(written).close();
    }

    @Test
    void aDirectoryWithoutAJournalSaysSo() throws Exception {
        Path empty = Files.createTempDirectory("journal-none");
        var e = assertThrows(JournalReplay.NotRebuildable.class, () -> rebuilt(empty));
        assertTrue(e.getMessage().contains("nothing to rebuild a result from"), e.getMessage());
        Files.writeString(empty.resolve(Journal.FILE), "{\"something\":\"else\"}\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(JournalReplay.NotRebuildable.class, () -> rebuilt(empty)).getMessage()
                .contains("not a loadleak journal"));
    }

    @Test
    void theJournalKeepsTheScenarioAsWrittenAndNoSecret() throws Exception {
        String text = Files.readString(kept.resolve(Journal.FILE));
        assertTrue(text.lines().count() >= 4, "a head and a line a second: " + text.lines().count());
        Map<?, ?> head = Journal.JSON.readValue(text.lines().findFirst().orElseThrow(), Map.class);
        assertEquals("journaled", head.get("name"));
        assertTrue(text.contains("${env:JOURNAL_SECRET}"), "the template, not its value");
        assertTrue(!text.contains(SECRET));
    }
}
