package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.metrics.FlowCounts;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A steady run allocates no object per request: an exchange the transport released serves a later
 * request, and an open-model user whose iteration ended serves a later arrival. Nothing of the one
 * before may show in the one after (values, cookies, outcome), and an exchange is reused only once
 * nothing can call it back.
 */
class ReuseTest {
    private static Set<Object> identities() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    @Test
    void releasedExchangesAndEndedArrivalsServeLaterOnesWithNothingCarriedOver() throws Exception {
        FlowSimulationTest.Sim sim = new FlowSimulationTest.Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 100ms, rate: 1000/s}]
                flows:
                  - name: f
                    steps:
                      - {name: login, path: /login, extract: {tok: {json: /tok}}}
                      - {name: next, path: "/next?t=${tok}"}
                """);
        Set<Object> exchanges = identities();
        Set<Object> users = identities();
        int answered = 0;
        for (int t = 0; t <= 110; t++) {
            sim.at(t);
            while (answered < sim.transport.sent.size()) {
                int i = answered++;
                Transport.InFlight x = sim.transport.sent.get(i);
                VirtualUser u = (VirtualUser) x.user();
                exchanges.add(x);
                users.add(u);
                String wire = sim.wire(i);
                if (u.step == 0) {
                    assertNull(u.values, "an arrival starts with no values, reused or not");
                    assertNull(u.jar, "an arrival starts with an empty jar, reused or not");
                    assertFalse(wire.contains("Cookie:"), wire);
                    x.response(200, List.of("Set-Cookie", "sid=user" + i), "{\"tok\":\"t" + i + "\"}");
                } else {
                    // within an iteration, the user's own value and cookie go on (sent by request i - 1)
                    assertTrue(wire.startsWith("GET /next?t=t" + (i - 1) + " "), wire);
                    assertTrue(wire.contains("Cookie: sid=user" + (i - 1) + "\r\n"), wire);
                    x.response(200, null, null);
                }
                x.released(); // as the lean client does once the answer is delivered
            }
        }
        assertEquals(EngineOutcome.Status.COMPLETED, sim.done.get(0, TimeUnit.SECONDS).status());
        assertEquals(200, sim.transport.sent.size(), "100 arrivals of 2 steps");
        FlowCounts.Snapshot c = sim.counts();
        assertEquals(100, c.started(0, 0));
        assertEquals(100, c.ended(0, 0, IterationEnd.COMPLETED));
        assertEquals(200, sim.log.ok.size());
        // each step was answered before the next was due: one object of each served the whole run
        // (the second step is sent while the first's exchange is still being answered: two exchanges)
        assertEquals(2, exchanges.size(), "exchanges made for 200 requests");
        assertEquals(1, users.size(), "users made for 100 arrivals");
    }

    @Test
    void anExchangeIsReusedOnlyOnceReleasedAndOnlyOnce() throws Exception {
        FlowSimulationTest.Sim sim = new FlowSimulationTest.Sim(
                "defaults: {timeout: 5s}\nphases: [{duration: 100ms, rate: 100/s}]\nrequests: [{path: /}]\n");
        Transport.InFlight first = sim.transport.sent.get(0);
        sim.transport.answer(0, 200);
        sim.at(10);
        assertNotSame(first, sim.transport.sent.get(1), "answered but not released: the transport may still hold it");
        sim.transport.answer(1, 200);
        first.released();
        first.released(); // said twice: it must still serve one request, not two at once
        sim.at(20);
        sim.at(30);
        assertSame(first, sim.transport.sent.get(2));
        assertNotSame(sim.transport.sent.get(2), sim.transport.sent.get(3), "two requests in flight, two exchanges");
        sim.transport.answer(2, 200);
        sim.transport.answer(3, 503);
        assertEquals(3, sim.log.ok.size(), sim.log.events.toString());
        assertEquals(1, sim.log.events.stream().filter(e -> e.startsWith("status_5xx")).count(), sim.log.events.toString());
    }

    @Test
    void aTimedOutExchangeIsNeverReleasedByTheLeanClientAndALateAnswerCountsForNothing() throws Exception {
        FlowSimulationTest.Sim sim = new FlowSimulationTest.Sim(
                "defaults: {timeout: 10ms}\nphases: [{duration: 50ms, rate: 100/s}]\nrequests: [{path: /}]\n");
        Transport.InFlight lost = sim.transport.sent.get(0);
        sim.at(15);
        assertEquals(List.of(lost), sim.transport.aborted, "timed out and aborted");
        lost.response(200, null); // too late: the timeout stands
        sim.at(20);
        assertNotSame(lost, sim.transport.sent.get(sim.transport.sent.size() - 1), "not released: not reused");
        assertEquals(sim.transport.aborted.size(), sim.log.events.stream().filter(e -> e.startsWith("timeout 0")).count(),
                "one outcome each: " + sim.log.events);
        assertFalse(sim.log.events.contains("ok 0"), sim.log.events.toString());
    }
}
