package dev.loadleak.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The event loops a run sends from when --event-loops is not given: fewer when the target shares the cores. */
class EventLoopsDefaultTest {
    @Test
    void aTargetOnThisMachineGetsHalfTheCores() {
        assertEquals(1, EngineRuntime.loops(0, URI.create("http://127.0.0.1:8080"), 2));
        assertEquals(4, EngineRuntime.loops(0, URI.create("http://localhost:8080/api"), 8));
        assertEquals(4, EngineRuntime.loops(0, URI.create("http://[::1]:8080"), 8));
        assertEquals(1, EngineRuntime.loops(0, URI.create("http://127.0.0.2"), 1), "never none");
    }

    @Test
    void anyOtherTargetGetsOnePerCore() {
        assertEquals(8, EngineRuntime.loops(0, URI.create("https://api.example.com"), 8));
        assertEquals(8, EngineRuntime.loops(0, URI.create("http://10.0.0.5:8080"), 8));
        assertEquals(2, EngineRuntime.loops(0, null, 2));
    }

    @Test
    void askedForIsKept() {
        assertEquals(2, EngineRuntime.loops(2, URI.create("http://127.0.0.1:8080"), 2));
        assertEquals(3, EngineRuntime.loops(3, URI.create("https://api.example.com"), 8));
    }

    @Test
    void onlyWrittenOutAddressesAndLocalhostAreLookedAt() {
        assertTrue(EngineRuntime.onThisMachine(URI.create("http://app.localhost:3000")));
        assertFalse(EngineRuntime.onThisMachine(URI.create("http://no-such-host.invalid")), "no lookup of names");
        assertFalse(EngineRuntime.onThisMachine(URI.create("http://192.168.1.4")));
    }
}
