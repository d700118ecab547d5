package dev.loadleak.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.run.Journal;
import dev.loadleak.run.LiveSnapshot;
import dev.loadleak.scenario.Redactor;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jol.info.GraphLayout;

/**
 * A 3-day soak as serve holds it, driven second by second by the test (a virtual clock: no
 * waiting): what the run keeps in memory is measured (jol) after one day and after three, and
 * must be bounded — the same size, a few MB — where it used to keep every second's event. A client
 * that connects late still gets every second: the ones before the memory window from the journal.
 */
class ServeSoakMemoryTest {
    private static final long DAY = 86_400;

    @TempDir
    Path dir;

    /** Second {@code s} of a run of {@code total} seconds, as the run publishes it. */
    private static LiveSnapshot at(long s, long total) {
        return new LiveSnapshot(s + 1, total, "intended 100/s", 0, point(s), List.of(), List.of(), null, false);
    }

    private static TimelinePoint point(long s) {
        return new TimelinePoint(s, 100, s % 97 == 0 ? 1 : 0, 1000 + s % 50, 2000, 3000, 5000);
    }

    @Test
    void threeDaysKeepTheSameFewMegabytes() {
        ManagedRun run = new ManagedRun("soak", "soak", dir, Instant.EPOCH, ServedStatus.RUNNING, Redactor.NONE);
        long[] size = new long[3];
        for (long s = 0; s < 3 * DAY; s++) {
            run.live(at(s, 3 * DAY));
            if ((s + 1) % DAY == 0) {
                size[(int) (s / DAY)] = GraphLayout.parseInstance(run).totalSize();
            }
        }
        System.out.printf("serve's memory for one run: day 1 %.2f MB, day 2 %.2f MB, day 3 %.2f MB%n", size[0] / 1e6,
                size[1] / 1e6, size[2] / 1e6);
        assertTrue(size[2] < 4_000_000, "bounded: " + size[2]);
        assertTrue(size[2] < size[0] * 1.05, "not growing: day 1 " + size[0] + ", day 3 " + size[2]);
        run.end(ServedStatus.COMPLETED, null);
        long after = GraphLayout.parseInstance(run).totalSize();
        assertTrue(after < 20_000, "a finished run keeps its summary only: " + after);
    }

    @Test
    void aLateClientGetsEverySecondTheOlderOnesFromTheJournal() throws Exception {
        long seconds = 2 * 3600;
        ManagedRun run = new ManagedRun("late", "late", dir, Instant.EPOCH, ServedStatus.RUNNING, Redactor.NONE);
        try (BufferedWriter journal = Files.newBufferedWriter(dir.resolve(Journal.FILE), StandardCharsets.UTF_8)) {
            journal.write("{\"journal\":1,\"name\":\"late\"}\n");
            for (long s = 0; s < seconds; s += 10) { // a line every 10 s, as the journal writes after the first minute
                ObjectNode line = ManagedRun.JSON.createObjectNode();
                line.putArray("t").add(s).add(s + 10);
                ArrayNode pts = line.putArray("points");
                for (long k = s; k < s + 10; k++) {
                    pts.add(ManagedRun.JSON.valueToTree(point(k)));
                }
                journal.write(line + "\n");
            }
        }
        for (long s = 0; s < seconds; s++) {
            run.live(at(s, seconds + 5));
        }
        List<Long> got = new ArrayList<>();
        List<String> names = new ArrayList<>();
        assertTrue(run.subscribe(e -> {
            names.add(e.name());
            if (e.name().equals("second")) {
                try {
                    JsonNode d = ManagedRun.JSON.readTree(e.json());
                    got.add(d.path("point").path("second").asLong());
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }));
        run.live(at(seconds, seconds + 5));
        run.end(ServedStatus.COMPLETED, null);
        assertEquals(seconds + 1, got.size(), "every second once");
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i), "in order, no gap, no repeat");
        }
        assertEquals("end", names.get(names.size() - 1));
        // after the end the seconds are let go; a client then gets the end (its figures are in result.json)
        List<String> afterEnd = new ArrayList<>();
        assertFalse(run.subscribe(e -> afterEnd.add(e.name())));
        assertEquals("end", afterEnd.get(afterEnd.size() - 1));
    }
}
