package dev.loadleak.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.RunStatus;
import org.junit.jupiter.api.Test;

class ServedStatusTest {
    @Test
    void everyWayARunEndsIsAServedStatusOfTheSameWord() {
        for (RunStatus s : RunStatus.values()) {
            ServedStatus served = ServedStatus.of(s);
            assertEquals(s.json(), served.json());
            assertSame(served, ServedStatus.fromJson(s.json()));
            assertFalse(served.going(), s + " is an end");
        }
    }

    @Test
    void runJsonWordsReadBackAndAnUnknownOneIsAnAbortedRun() {
        assertSame(ServedStatus.COULD_NOT_RUN, ServedStatus.fromJson("could_not_run"));
        assertSame(ServedStatus.STOPPING, ServedStatus.fromJson("stopping"));
        assertEquals("could_not_run", ServedStatus.COULD_NOT_RUN.json());
        assertTrue(ServedStatus.fromJson(" running ").going());
        assertTrue(ServedStatus.STOPPING.going());
        assertSame(ServedStatus.ABORTED, ServedStatus.fromJson("paused_by_a_newer_loadleak"));
        assertFalse(ServedStatus.COULD_NOT_RUN.going());
    }
}
