package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.metrics.FlowCounts;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real-time steps on a virtual clock against scripted WebSockets: Engine.IO's handshake, pings
 * answered, a server whose pings stop, {@code on:} timeouts, kept messages, acks and extraction,
 * and what a step's latency counts from. No sleeping: every time below is virtual.
 */
class RealtimeSimulationTest {
    /** WebSockets that the test opens, feeds and reads. */
    static final class FakeSockets implements RealtimeSockets {
        final List<FakeSocket> opened = new ArrayList<>();

        final class FakeSocket implements Socket {
            final URI uri;
            final List<String> headers;
            final Listener listener;
            final List<String> sent = new ArrayList<>();
            boolean closed;

            FakeSocket(URI uri, List<String> headers, Listener listener) {
                this.uri = uri;
                this.headers = headers;
                this.listener = listener;
            }

            @Override
            public void send(String text) {
                sent.add(text);
            }

            @Override
            public void close() {
                closed = true;
            }
        }

        @Override
        public Socket open(URI uri, List<String> headers, List<String> subprotocols, int timeoutMillis, Listener l) {
            FakeSocket s = new FakeSocket(uri, headers, l);
            opened.add(s);
            return s;
        }

        @Override
        public void closeAll() {
            opened.forEach(s -> s.closed = true);
        }
    }

    /** A flow simulation whose real-time steps open {@link FakeSockets}. */
    static final class Sim extends FlowSimulationTest.Sim {
        final FakeSockets sockets;

        Sim(String yaml) throws Exception {
            this(yaml, new FakeSockets());
        }

        private Sim(String yaml, FakeSockets sockets) throws Exception {
            super(yaml, sockets);
            this.sockets = sockets;
        }

        FakeSockets.FakeSocket socket(int i) {
            return sockets.opened.get(i);
        }

        /** At {@code ms}, the server of socket {@code i} says {@code texts}. */
        void server(int i, long ms, String... texts) {
            at(ms);
            for (String t : texts) {
                socket(i).listener.text(t);
            }
        }
    }

    private static final String OPEN = "0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":1000,\"pingTimeout\":500}";

    @Test
    void pingsAreAnsweredAndAServerWhosePingsStopIsADisconnectAtItsIntervalPlusTimeout() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 60s, concurrency: 1}]
                flows:
                  - name: f
                    steps:
                      - {name: join, socketio: {connect: /media, auth: {token: abc}, query: {room: "1"}}}
                      - {name: wait, socketio: {on: never, timeout: 30s}}
                """);
        FakeSockets.FakeSocket s = sim.socket(0);
        assertEquals("ws://127.0.0.1:1/socket.io/?EIO=4&transport=websocket&room=1", s.uri.toString());
        sim.at(3);
        s.listener.opened(s);
        sim.server(0, 5, OPEN);
        assertEquals(List.of("40/media,{\"token\":\"abc\"}"), s.sent, "the namespace connect carries the auth");
        sim.server(0, 10, "40/media,{\"sid\":\"n1\"}");
        assertEquals(10, sim.log.ok.get(0)[3], "the join lasted until the namespace answered");
        sim.server(0, 1005, "2");
        sim.server(0, 2005, "2");
        assertEquals(List.of("40/media,{\"token\":\"abc\"}", "3", "3"), s.sent, "each ping answered with a pong");
        sim.at(3504);
        assertTrue(sim.log.events.stream().noneMatch(e -> e.startsWith("disconnect")), "1.5 s after the last ping: still there");
        sim.at(3505);
        assertTrue(sim.log.events.contains("disconnect 1: no Engine.IO ping from the server for 1500 ms "
                + "(its pingInterval + pingTimeout)"), sim.log.events.toString());
        assertTrue(s.closed);
        FlowCounts.Snapshot c = sim.counts();
        assertEquals(2, c.realtime(0, 0, RealtimeEvent.HEARTBEAT));
        assertEquals(1, c.realtime(0, 0, RealtimeEvent.LOST));
        assertEquals(1, c.ended(0, 0, IterationEnd.FAILED));
        assertEquals(2, sim.sockets.opened.size(), "the user's next iteration connects afresh");
    }

    @Test
    void anOnStepTimesOutAtItsOwnTimeoutAndTakesAnEventThatCameBeforeIt() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 60s, concurrency: 1}]
                flows:
                  - name: f
                    steps:
                      - {name: join, socketio: {connect: /}, think: 100ms}
                      - {name: first, socketio: {on: update, timeout: 2s}}
                      - {name: second, socketio: {on: update, timeout: 2s}}
                """);
        FakeSockets.FakeSocket s = sim.socket(0);
        s.listener.opened(s);
        sim.server(0, 1, OPEN, "40{\"sid\":\"n1\"}");
        assertEquals(List.of("40"), s.sent, "the root namespace: no prefix, no auth");
        sim.server(0, 50, "42[\"update\",{\"v\":1}]"); // during the join's think time: kept
        sim.at(101);
        assertTrue(sim.log.events.contains("ok 1"), "first took the kept update at once: " + sim.log.events);
        assertEquals(101, sim.log.ok.get(1)[3]);
        sim.server(0, 1000, "2");
        sim.at(2100);
        assertTrue(sim.log.events.stream().noneMatch(e -> e.startsWith("timeout")));
        sim.at(2101);
        assertTrue(sim.log.events.contains("timeout 2: no \"update\" event within 2000 ms"), sim.log.events.toString());
    }

    @Test
    void anEmitWithAckLastsUntilItsAckAndExtractsFromItsPayload() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 60s, concurrency: 1}]
                flows:
                  - name: f
                    steps:
                      - {name: join, socketio: {connect: /media}}
                      - name: ping
                        socketio: {emit: ping-media, data: {n: 1}, ack: true}
                        extract: {pong: {json: /pong, secret: false}}
                      - {name: again, socketio: {emit: again, data: "${pong}"}}
                      - {name: leave, socketio: {disconnect: true}}
                """);
        FakeSockets.FakeSocket s = sim.socket(0);
        s.listener.opened(s);
        sim.server(0, 1, OPEN, "40/media,{\"sid\":\"n1\"}");
        assertEquals("42/media,0[\"ping-media\",{\"n\":1}]", s.sent.get(1), "an emit with ack id 0");
        sim.server(0, 5, "43/media,1[{\"pong\":6}]"); // another ack id: not this emit's
        assertTrue(sim.log.events.stream().noneMatch(e -> e.equals("ok 1")));
        sim.server(0, 8, "43/media,0[{\"pong\":7}]");
        long[] ping = sim.log.ok.get(1);
        assertEquals(List.of(1L, 1L, 8L), List.of(ping[0], ping[2], ping[3]), "the ping lasted from its emit to its ack");
        assertEquals("42/media,[\"again\",\"7\"]", s.sent.get(2), "the ack's payload was extracted and used");
        assertEquals("41/media,", s.sent.get(3), "leave disconnects the namespace");
        assertTrue(s.closed);
        FlowCounts.Snapshot c = sim.counts();
        assertEquals(1, c.ended(0, 0, IterationEnd.COMPLETED));
        assertEquals(2, c.realtime(0, 0, RealtimeEvent.MESSAGE_SENT));
        assertEquals(1, c.realtime(0, 0, RealtimeEvent.CLOSED));
        assertEquals(0, c.realtime(0, 0, RealtimeEvent.LOST));
    }

    @Test
    void aClosedUserKeepsItsConnectionAcrossIterationsUntilItsLastOne() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1, think: 100ms}]
                flows:
                  - name: f
                    steps:
                      - {name: open, ws: {connect: /ws, headers: {X-Room: "7"}}}
                      - {name: hi, ws: {send: hello}}
                """);
        FakeSockets.FakeSocket s = sim.socket(0);
        assertEquals(List.of("X-Room", "7"), s.headers);
        sim.at(2);
        s.listener.opened(s);
        sim.at(500);
        dev.loadleak.metrics.Collector gauge = new dev.loadleak.metrics.Collector(sim.recorder, 0);
        assertEquals(1L, gauge.collect(sim.clock.nanoTime()).realtimeOpen(), "the timeline's gauge: one open");
        sim.at(950);
        assertEquals(1, sim.sockets.opened.size(), "one connection for every iteration");
        assertTrue(s.sent.size() >= 9, "an iteration every 100 ms sent hello: " + s.sent.size());
        assertTrue(s.closed, "its last iteration (902 ms; the next would start after the phase's end) closed it");
        assertEquals(0L, gauge.collect(sim.clock.nanoTime()).realtimeOpen(), "and none open any more");
        FlowCounts.Snapshot c = sim.counts();
        assertEquals(1, c.realtime(0, 0, RealtimeEvent.OPENED));
        assertEquals(c.started(0, 0) - 1, c.realtime(0, 0, RealtimeEvent.REUSED));
        assertEquals(s.sent.size(), c.realtime(0, 0, RealtimeEvent.MESSAGE_SENT));
    }

    @Test
    void aValueThatMakesThePathNoUriFailsItsStepNotTheRun() throws Exception {
        Sim sim = new Sim("""
                defaults: {timeout: 5s}
                phases: [{duration: 1s, concurrency: 1}]
                flows:
                  - name: f
                    steps:
                      - {name: token, path: /t, extract: {room: {json: /room, secret: false}}}
                      - {name: open, ws: {connect: "/ws/${room}"}}
                """);
        sim.at(1);
        sim.answer(0, 200, null, "{\"room\": \"a b\"}");
        assertTrue(sim.log.events.stream().anyMatch(e -> e.startsWith("other 1: not a URI")), sim.log.events.toString());
        assertTrue(sim.sockets.opened.isEmpty());
        assertTrue(sim.log.events.contains("failed 0 1ms"), "the iteration failed; the run goes on: " + sim.log.events);
        assertTrue(!sim.done.isDone());
    }
}
