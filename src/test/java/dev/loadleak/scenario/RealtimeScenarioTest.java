package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code ws:} and {@code socketio:} steps: every key parses, and every mistake is reported at once with its place. */
class RealtimeScenarioTest {
    private static final String HEAD = "target: http://127.0.0.1:8080\nphases: [{duration: 1s, concurrency: 2}]\n";

    private static List<Flow.Step> steps(String flows) throws Exception {
        return ScenarioLoader.parse("rt.yaml", HEAD + flows).flows().flows().get(0).steps();
    }

    private static String render(Template t) {
        return t.render(1, new SplittableRandom(1), slot -> "V" + slot);
    }

    @Test
    void everyWebSocketKeyParses() throws Exception {
        List<Flow.Step> s = steps("""
                flows:
                  - name: chat
                    steps:
                      - name: open
                        ws: {connect: "/ws?room=${seq}", headers: {Authorization: "Bearer x"}, subprotocols: [chat, v2], timeout: 3s}
                      - {name: hi, ws: {send: {type: ping, n: 1}}}
                      - {name: raw, ws: {send: plain text}}
                      - name: pong
                        ws: {receive: {json: /type, equals: pong}, timeout: 5s}
                        extract: {n: {json: /n}}
                      - {name: any, ws: {receive: any}}
                      - {name: has, ws: {receive: {contains: "${n}"}}}
                      - {name: bye, ws: {close: true}, think: 1s}
                """);
        Realtime.WsConnect c = (Realtime.WsConnect) s.get(0).realtime();
        assertEquals("/ws?room=1", render(c.path()));
        assertEquals(List.of("chat", "v2"), c.subprotocols());
        assertEquals("Bearer x", render(c.headers().get("Authorization")));
        assertEquals(3_000_000_000L, c.timeoutNanos());
        assertEquals("{\"type\":\"ping\",\"n\":1}", render(((Realtime.WsSend) s.get(1).realtime()).text()));
        assertEquals("plain text", render(((Realtime.WsSend) s.get(2).realtime()).text()), "text is sent as written");
        Realtime.WsReceive r = (Realtime.WsReceive) s.get(3).realtime();
        assertEquals("/type", r.match().pointer());
        assertEquals("pong", render(r.match().equals()));
        assertEquals(5_000_000_000L, r.timeoutNanos());
        assertEquals(Realtime.Match.ANY, ((Realtime.WsReceive) s.get(4).realtime()).match());
        assertEquals(0, ((Realtime.WsReceive) s.get(4).realtime()).timeoutNanos(), "0: the scenario's timeout");
        assertEquals("V0", render(((Realtime.WsReceive) s.get(5).realtime()).match().contains()));
        assertEquals(new Realtime.Close(Realtime.Protocol.WS, 0), s.get(6).realtime());
        assertEquals(1_000_000_000L, s.get(6).thinkMin());
        assertEquals("chat.open", s.get(0).request().name());
        assertEquals("WS", s.get(0).request().method());
        assertTrue(s.get(0).request().realtime());
        assertNull(s.get(0).request().body());
    }

    @Test
    void everySocketIoKeyParses() throws Exception {
        List<Flow.Step> s = steps("""
                setup:
                  - {name: login, method: POST, path: /login, extract: {token: {json: /token}}}
                flows:
                  - name: media
                    steps:
                      - name: join
                        socketio:
                          connect: /media
                          auth: {token: "${token}"}
                          query: {client: loadleak, n: "${seq}"}
                          path: /io/
                          headers: {X-Client: test}
                      - name: ping
                        socketio: {emit: ping-media, data: {at: 1}, ack: true, timeout: 2s}
                        extract: {pong: {regex: 'pong":(\\d+)'}}
                      - {name: text, socketio: {emit: note, data: hello}}
                      - {name: number, socketio: {emit: note, data: 7}}
                      - {name: bare, socketio: {emit: note}}
                      - {name: update, socketio: {on: media-update, timeout: 2s}}
                      - {name: leave, socketio: {disconnect: true}}
                """);
        Realtime.SioConnect c = (Realtime.SioConnect) s.get(0).realtime();
        assertEquals("/media", c.namespace());
        assertEquals("{\"token\":\"V0\"}", render(c.auth()));
        assertEquals("&client=loadleak&n=1", render(c.query()));
        assertEquals("/io/", c.path());
        assertEquals(Map.of("X-Client", "test"), Map.of("X-Client", render(c.headers().get("X-Client"))));
        Realtime.SioEmit e = (Realtime.SioEmit) s.get(1).realtime();
        assertEquals("ping-media", e.event());
        assertTrue(e.ack());
        assertEquals("{\"at\":1}", render(e.data()));
        assertEquals("\"hello\"", render(((Realtime.SioEmit) s.get(2).realtime()).data()), "text is a JSON string");
        assertEquals("7", render(((Realtime.SioEmit) s.get(3).realtime()).data()), "JSON is sent as written");
        assertNull(((Realtime.SioEmit) s.get(4).realtime()).data());
        assertFalse(((Realtime.SioEmit) s.get(4).realtime()).ack());
        assertEquals("media-update", ((Realtime.SioOn) s.get(5).realtime()).event());
        assertEquals(new Realtime.Close(Realtime.Protocol.SOCKETIO, 0), s.get(6).realtime());
        assertEquals("SOCKETIO", s.get(1).request().method());
        assertEquals("/socket.io/", ((Realtime.SioConnect) steps("""
                flows: [{name: f, steps: [{name: j, socketio: {connect: /}}]}]
                """).get(0).realtime()).path(), "the default Engine.IO path");
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsPlace() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("bad.yaml",
                HEAD + """
                setup:
                  - {name: s, ws: {connect: /ws}}
                flows:
                  - name: f
                    steps:
                      - {name: a, ws: {connect: "http://elsewhere/ws"}}
                      - {name: b, ws: {connect: //evil/ws}}
                      - {name: c, ws: {send: x, close: true}}
                      - {name: d, ws: {}}
                      - {name: e, ws: {send: x, timeout: 2s}}
                      - {name: g, ws: {receive: {json: type, equals: x}}}
                      - {name: h, ws: {receive: {json: /type}}}
                      - {name: i, ws: {recieve: any}}
                      - {name: j, ws: {close: false}}
                      - {name: k, path: /x, ws: {close: true}}
                      - {name: l, ws: {close: true}, socketio: {disconnect: true}}
                      - {name: m, socketio: {connect: media}}
                      - {name: n, socketio: {emit: connect}}
                      - {name: o, socketio: {emit: ""}}
                      - {name: p, socketio: {on: x, ack: true}}
                      - {name: q, socketio: {connect: /, auth: token}}
                      - {name: r, ws: {send: x}, extract: {v: {json: /a}}}
                      - {name: t, socketio: {on: x}, extract: {w: {header: X}}}
                      - {name: u, ws: {connect: /ws, subprotocols: ["bad name"]}}
                      - {name: v, socketio: {on: x, timeout: 0s}}
                      - {name: w, ws: {connect: "/ws/${nowhere}"}}
                """));
        String all = String.join("\n", e.problems().stream().map(Problem::toString).toList());
        assertContains(all, "setup[0]: is a real-time step");
        assertContains(all, "flows[0].steps[0].ws.connect: \"http://elsewhere/ws\" is not a path on the target");
        assertContains(all, "flows[0].steps[1].ws.connect: \"//evil/ws\" is not a path on the target");
        assertContains(all, "flows[0].steps[2].ws: names 2 actions");
        assertContains(all, "flows[0].steps[3].ws: names no action");
        assertContains(all, "flows[0].steps[4].ws.timeout: does not go with send");
        assertContains(all, "flows[0].steps[5].ws.receive.json: \"type\" is not a JSON pointer");
        assertContains(all, "flows[0].steps[6].ws.receive: json: and equals: go together");
        assertContains(all, "flows[0].steps[7].ws.recieve: unknown key");
        assertContains(all, "flows[0].steps[8].ws.close: must be true");
        assertContains(all, "flows[0].steps[9].path: does not go with a real-time step");
        assertContains(all, "flows[0].steps[10]: has both ws: and socketio:");
        assertContains(all, "flows[0].steps[11].socketio.connect: \"media\" is not a namespace");
        assertContains(all, "flows[0].steps[12].socketio.emit: \"connect\" is reserved by Socket.IO");
        assertContains(all, "flows[0].steps[13].socketio.emit: must name the event");
        assertContains(all, "flows[0].steps[14].socketio.ack: does not go with on");
        assertContains(all, "flows[0].steps[15].socketio.auth: must be a map");
        assertContains(all, "flows[0].steps[16].extract.v: this step receives nothing to extract from");
        assertContains(all, "flows[0].steps[17].extract.w: a message has no status, headers or cookies");
        assertContains(all, "flows[0].steps[18].ws.subprotocols: \"bad name\" is not a subprotocol name");
        assertContains(all, "flows[0].steps[19].socketio.timeout: must be above 0");
        assertContains(all, "flows[0].steps[20].ws.connect: unknown variable ${nowhere}");
        for (Problem p : e.problems()) {
            assertTrue(p.line() > 0 && p.column() > 0, "every problem has a place: " + p);
            assertTrue(p.toString().startsWith("bad.yaml:"), p.toString());
        }
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), "expected \"" + part + "\" in:\n" + text);
    }
}
