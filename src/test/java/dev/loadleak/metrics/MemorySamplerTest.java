package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.FakeClock;
import dev.loadleak.result.MemoryKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sampler driven by hand with a fake clock and fake probes: no real time, no sleeping. */
class MemorySamplerTest {
    @Test
    void samplesAndGapsWithReasons() {
        FakeClock clock = new FakeClock(1_000_000_000L);
        double[] value = {100};
        boolean[] failing = {false};
        MemoryProbe probe = () -> {
            if (failing[0]) {
                throw new MemoryProbe.ProbeException("connection refused by http://127.0.0.1:1/metrics");
            }
            return value[0];
        };
        MemorySampler s = new MemorySampler(List.of(new MemorySampler.Source("heap", MemoryKind.PROMETHEUS, false, probe),
                new MemorySampler.Source("boom", MemoryKind.JSON, false, () -> {
                    throw new IllegalStateException("bug");
                })), clock, clock.nanoTime(), 1_000_000_000L);
        for (int i = 0; i < 6; i++) {
            failing[0] = i == 2 || i == 3;
            value[0] = 100 + i;
            s.sampleOnce();
            clock.advanceMillis(1000);
        }
        MemorySampler.Series heap = s.series().get(0);
        assertArrayEquals(new double[] {0, 1, 4, 5}, heap.seconds());
        assertArrayEquals(new double[] {100, 101, 104, 105}, heap.values());
        assertEquals(List.of(new MemorySampler.Gap(2, 3, 2, "connection refused by http://127.0.0.1:1/metrics")),
                heap.gaps(), "consecutive failures with one reason are one gap");
        MemorySampler.Series boom = s.series().get(1);
        assertEquals(0, boom.values().length);
        assertTrue(boom.gaps().get(0).reason().startsWith("probe failed: java.lang.IllegalStateException: bug"));
        assertEquals(6, boom.gaps().get(0).count());
    }

    @Test
    void aMetricsEndpointThatReturnsGarbageOrDisappearsGivesGapsWithReasons() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        String[] body = {"heap_bytes 100\n"};
        server.createContext("/metrics", ex -> {
            byte[] b = body[0].getBytes();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
        FakeClock clock = new FakeClock(0);
        MemorySampler s = new MemorySampler(List.of(new MemorySampler.Source("heap", MemoryKind.PROMETHEUS, false,
                Probes.prometheus(new HttpScraper(java.time.Duration.ofSeconds(2)), uri, null, "heap_bytes",
                        java.util.Map.of()))), clock, 0, 1_000_000_000L);
        s.sampleOnce();
        body[0] = "<html><body>502 Bad Gateway</body></html>";
        clock.advanceMillis(1000);
        s.sampleOnce();
        body[0] = "other_metric 5\n";
        clock.advanceMillis(1000);
        s.sampleOnce();
        server.stop(0);
        clock.advanceMillis(1000);
        s.sampleOnce();
        MemorySampler.Series heap = s.series().get(0);
        assertArrayEquals(new double[] {100}, heap.values());
        List<MemorySampler.Gap> gaps = heap.gaps();
        assertEquals(3, gaps.size(), gaps.toString());
        assertTrue(gaps.get(0).reason().startsWith("garbage from " + uri + ": line 1 is not Prometheus text format"),
                gaps.get(0).reason());
        assertEquals("no series heap_bytes at " + uri, gaps.get(1).reason());
        assertTrue(gaps.get(2).reason().contains(uri.toString()), gaps.get(2).reason());
    }

    @Test
    void processRssReadsProcAndSaysWhenTheProcessIsGone() throws Exception {
        double rss = Probes.processRss(() -> ProcessHandle.current().pid(), Path.of("/proc")).sample();
        assertTrue(rss > 10_000_000, "own RSS " + rss);
        Path fakeProc = Files.createTempDirectory("proc");
        Files.createDirectories(fakeProc.resolve("42"));
        Files.writeString(fakeProc.resolve("42/status"), "Name:\tnode\nVmRSS:\t  2048 kB\n");
        assertEquals(2048 * 1024.0, Probes.processRss(() -> 42, fakeProc).sample());
        MemoryProbe.ProbeException gone = org.junit.jupiter.api.Assertions.assertThrows(MemoryProbe.ProbeException.class,
                () -> Probes.processRss(() -> 43, fakeProc).sample());
        assertEquals("process 43 is gone", gone.getMessage());
        Files.createDirectories(fakeProc.resolve("44"));
        Files.writeString(fakeProc.resolve("44/status"), "Name:\tnode\nState:\tZ (zombie)\n");
        assertEquals("process 44 has exited (a zombie, not yet reaped)", org.junit.jupiter.api.Assertions.assertThrows(
                MemoryProbe.ProbeException.class, () -> Probes.processRss(() -> 44, fakeProc).sample()).getMessage());
        // killed: the memory is released a moment before the process turns zombie (State still R, no VmRSS line)
        Files.createDirectories(fakeProc.resolve("45"));
        Files.writeString(fakeProc.resolve("45/status"), "Name:\tnode\nState:\tR (running)\nThreads:\t1\n");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(MemoryProbe.ProbeException.class,
                () -> Probes.processRss(() -> 45, fakeProc).sample()).getMessage()
                .startsWith("process 45 has no VmRSS: it is exiting"));
        Path pidfile = fakeProc.resolve("app.pid");
        Files.writeString(pidfile, "42\n");
        assertEquals(42, Probes.pidFile(pidfile).getAsLong());
        assertEquals(0, Probes.pidFile(fakeProc.resolve("none.pid")).getAsLong());
    }

    @Test
    void aLaunchedTargetThatWasKilledIsSaidToHaveBeenKilled() throws Exception {
        Path log = Files.createTempFile("launched", ".log");
        try (LaunchedProcess lp = LaunchedProcess.start("sleep 30", log)) {
            MemoryProbe probe = Probes.launchedRss(lp, Path.of("/proc"));
            assertTrue(probe.sample() > 0, "a running process has a resident set");
            long pid = lp.pid();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join());
            String why = org.junit.jupiter.api.Assertions.assertThrows(MemoryProbe.ProbeException.class, probe::sample)
                    .getMessage();
            assertEquals("the launched target (pid " + pid + ") exited: killed by signal 9 (KILL)", why);
        }
    }
}
