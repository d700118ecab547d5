package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.client.Clients;
import dev.loadleak.metrics.RunRecorder;
import dev.loadleak.scenario.ScenarioLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A one-step flow and the same plain request put the same bytes on the wire (read by a raw TCP
 * server on 127.0.0.1), on both clients; and a flow user sends back the cookie it was given.
 */
class FlowWireTest {
    private static final String REQUEST = "{name: r, method: POST, path: \"/api/items?x=1\", headers: {X-Test: yes, "
            + "Accept: application/json}, body: {a: 1}}";

    /** The raw bytes of the first {@code n} requests a run of {@code yaml} sends. */
    private static String firstRequests(Vertx vertx, String yaml, int n, String setCookie) throws Exception {
        ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1")).connectHandler(so -> {
            StringBuilder pending = new StringBuilder();
            so.handler(buf -> {
                pending.append(buf.toString(StandardCharsets.ISO_8859_1));
                int end;
                while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
                    String head = pending.substring(0, end + 4);
                    int len = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            len = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    if (pending.length() < end + 4 + len) {
                        break;
                    }
                    requests.add(pending.substring(0, end + 4 + len));
                    pending.delete(0, end + 4 + len);
                    so.write(Buffer.buffer("HTTP/1.1 200 OK\r\n" + (setCookie == null ? "" : "Set-Cookie: " + setCookie
                            + "\r\n") + "Content-Length: 2\r\n\r\nok"));
                }
            });
        }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            EnginePlan plan = EnginePlan.of(ScenarioLoader.parse("w.yaml", "target: http://127.0.0.1:"
                    + server.actualPort() + "\n" + yaml));
            new HttpEngine(vertx, Clock.SYSTEM, Clients.STANDARD, plan, new RunRecorder(1, plan.requests().size(), plan.lateBoundNanos(),
                    plan.flows().flows().size())).start().get(20, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
        assertTrue(requests.size() >= n, "only " + requests.size() + " requests");
        // the first is the warm-up GET; each run has its own server, so its own port
        return String.join("\n---\n", requests.stream().skip(1).limit(n).toList())
                .replace(":" + server.actualPort(), ":PORT");
    }

    @Test
    void aOneStepFlowSendsTheSameBytesAsAPlainRequestOnBothClients() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            for (String client : new String[] {"auto", "vertx"}) {
                String common = "defaults: {maxConnections: 1, client: " + client + "}\n"
                        + "phases: [{duration: 300ms, concurrency: 1}]\n";
                String plain = firstRequests(vertx, common + "requests: [" + REQUEST + "]\n", 3, null);
                String flow = firstRequests(vertx, common + "flows: [{name: f, steps: [" + REQUEST + "]}]\n", 3, null);
                assertEquals(plain, flow, client);
                assertTrue(plain.startsWith("POST /api/items?x=1 HTTP/1.1\r\n"), plain);
            }
        } finally {
            vertx.close();
        }
    }

    @Test
    void aFlowUserSendsBackTheCookieItWasGiven() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            String yaml = "defaults: {maxConnections: 1}\nphases: [{duration: 300ms, concurrency: 1}]\n"
                    + "flows: [{name: f, steps: [{path: /a}, {path: /b}]}]\n";
            String[] sent = firstRequests(vertx, yaml, 3, "sid=abc; Path=/; HttpOnly").split("\n---\n");
            assertTrue(!sent[0].contains("Cookie:"), sent[0]);
            assertTrue(sent[1].contains("\r\nCookie: sid=abc\r\n"), sent[1]);
            assertTrue(sent[2].contains("\r\nCookie: sid=abc\r\n"), "kept across iterations: " + sent[2]);
        } finally {
            vertx.close();
        }
    }
}
