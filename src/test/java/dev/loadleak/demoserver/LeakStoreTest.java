package dev.loadleak.demoserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** JOL measures what the --leak knob really retains: the bytes asked for, per request, plus small overhead. */
class LeakStoreTest {
    @Test
    void retainsTheConfiguredBytesPerRequest() {
        LeakStore store = new LeakStore();
        long empty = GraphLayout.parseInstance(store).totalSize();
        for (int i = 0; i < 1000; i++) {
            store.retain(2048);
        }
        long after1000 = GraphLayout.parseInstance(store).totalSize();
        for (int i = 0; i < 1000; i++) {
            store.retain(2048);
        }
        long after2000 = GraphLayout.parseInstance(store).totalSize();
        double perRequest = (after2000 - after1000) / 1000.0;
        assertTrue(perRequest >= 2048 && perRequest <= 2048 * 1.02, "retained per request: " + perRequest);
        assertTrue(after1000 - empty >= 1000 * 2048L);
        assertEquals(2000 * 2048L, store.retainedBytes());
        assertEquals(2000, store.count());
    }

    @Test
    void zeroMeansNothingRetained() {
        LeakStore store = new LeakStore();
        store.retain(0);
        assertEquals(0, store.count());
    }
}
