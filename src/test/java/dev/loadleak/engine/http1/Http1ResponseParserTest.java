package dev.loadleak.engine.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.engine.PreparedRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The lean client's response framing, fed every way a connection can split the bytes: whole, at
 * every single position, and in random small pieces. Each case lists the events it must produce.
 */
class Http1ResponseParserTest {
    private static final long MAX = 1000;

    /** Records what the parser reports; requests are outstanding while {@code pending > 0}. */
    static final class Recorder implements Http1ResponseParser.Events {
        final List<String> events = new ArrayList<>();
        int pending;
        boolean head;
        boolean keepBody;
        int keepHeaders;
        java.util.List<String> lastHeaders;

        Recorder(int pending) {
            this.pending = pending;
        }

        @Override
        public Boolean headRequest() {
            return pending > 0 ? head : null;
        }

        @Override
        public boolean keepBody() {
            return keepBody;
        }

        @Override
        public int keepHeaders() {
            return keepHeaders;
        }

        @Override
        public void complete(int status, java.util.List<String> headers, String body, boolean close) {
            lastHeaders = headers;
            pending--;
            events.add(status + (body == null ? "" : " body=" + body) + (close ? " close" : ""));
        }

        @Override
        public void error(String why, boolean tooLarge) {
            events.add((tooLarge ? "too large: " : "error: ") + why);
        }
    }

    /** The events for {@code wire} fed in pieces cut at {@code cuts}, then the connection closed if {@code close}. */
    private static List<String> parse(String wire, int[] cuts, boolean close, int pending, boolean head, boolean keepBody) {
        Recorder r = new Recorder(pending);
        r.head = head;
        r.keepBody = keepBody;
        Http1ResponseParser p = new Http1ResponseParser(r, MAX);
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        int from = 0;
        for (int cut : cuts) {
            feed(p, bytes, from, cut);
            from = cut;
        }
        feed(p, bytes, from, bytes.length);
        if (close && p.closed()) {
            r.events.add("cut short");
        }
        return r.events;
    }

    private static void feed(Http1ResponseParser p, byte[] bytes, int from, int to) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes, from, to - from);
        p.feed(b);
        b.release();
    }

    /** Asserts the same events whole, split at every position, and in random pieces. */
    private static void check(String wire, boolean close, int pending, boolean head, boolean keepBody, String... expected) {
        List<String> want = List.of(expected);
        assertEquals(want, parse(wire, new int[0], close, pending, head, keepBody), "whole");
        for (int i = 1; i < wire.length(); i++) {
            assertEquals(want, parse(wire, new int[] {i}, close, pending, head, keepBody), "split at " + i);
        }
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 50; round++) {
            List<Integer> cuts = new ArrayList<>();
            for (int at = rnd.nextInt(1, 4); at < wire.length(); at += rnd.nextInt(1, 6)) {
                cuts.add(at);
            }
            assertEquals(want, parse(wire, cuts.stream().mapToInt(Integer::intValue).toArray(), close, pending, head,
                    keepBody), "pieces " + cuts);
        }
    }

    private static void check(String wire, String... expected) {
        check(wire, false, 5, false, false, expected);
    }

    @Test
    void keepsTheHeadersOfAResponseWhenAskedSplitAnywhere() {
        String wire = "HTTP/1.1 100 Continue\r\nX-Interim: no\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nSet-Cookie: sid=abc; Path=/\r\nContent-Length: 2\r\nX-Id:  42 \r\n\r\nok";
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        for (int cut = 1; cut < bytes.length; cut++) {
            Recorder r = new Recorder(1);
            r.keepHeaders = PreparedRequest.KEEP_ALL;
            Http1ResponseParser p = new Http1ResponseParser(r, MAX);
            feed(p, bytes, 0, cut);
            feed(p, bytes, cut, bytes.length);
            assertEquals(List.of("200"), r.events, "split at " + cut);
            assertEquals(List.of("Set-Cookie", "sid=abc; Path=/", "Content-Length", "2", "X-Id", "42"), r.lastHeaders,
                    "split at " + cut);
            Recorder cookies = new Recorder(1);
            cookies.keepHeaders = PreparedRequest.KEEP_SET_COOKIE;
            Http1ResponseParser q = new Http1ResponseParser(cookies, MAX);
            feed(q, bytes, 0, cut);
            feed(q, bytes, cut, bytes.length);
            assertEquals(List.of("Set-Cookie", "sid=abc; Path=/"), cookies.lastHeaders, "only Set-Cookie kept");
        }
        Recorder none = new Recorder(1);
        Http1ResponseParser p = new Http1ResponseParser(none, MAX);
        feed(p, bytes, 0, bytes.length);
        assertEquals(null, none.lastHeaders, "not kept unless asked");
    }

    @Test
    void contentLengthKeepAliveAndPipelined() {
        String one = "HTTP/1.1 200 OK\r\nServer: x\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello";
        check(one, "200");
        check(one + "HTTP/1.1 404 Not Found\r\ncontent-length:0\r\n\r\n" + one, "200", "404", "200");
        check("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", "204", "304");
    }

    /**
     * A head that arrives whole is read from one copy of it ({@code wholeHead}); one longer than that copy, or cut
     * anywhere, line by line: both give the same events, pipelined responses after it too.
     */
    @Test
    void aHeadLongerThanTheScratchCopyIsReadLineByLine() {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(Http1ResponseParser.SCRATCH) + "\r\nContent-Length: 2\r\n\r\nok";
        String small = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n";
        check(small + big + small, "201", "200", "201");
        check(big + "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "200",
                "error: conflicting Content-Length headers");
    }

    @Test
    void chunkedWithExtensionsAndTrailers() {
        check("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nX-T: 1\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "200", "201");
        check("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", false, 1, false, true,
                "200 body=0123456789");
    }

    @Test
    void bodyKeptOnlyWhenAsked() {
        String r = "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"id\":12}";
        check(r, false, 1, false, true, "200 body={\"id\":12}");
        check(r, false, 1, false, false, "200");
    }

    @Test
    void headAnswerHasNoBodyDespiteItsLength() {
        check("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n", false, 1, true, false, "200");
    }

    @Test
    void interimResponsesAreSkipped() {
        check("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "200");
    }

    @Test
    void connectionCloseAndHttp10() {
        check("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", "200 close");
        check("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "200 close");
        check("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok", "200");
        check("HTTP/1.0 200 OK\r\nconnection:  Upgrade, KEEP-ALIVE \r\nContent-Length: 2\r\n\r\nok", "200");
        check("HTTP/1.1 200 OK\r\nCONNECTION: Upgrade,Close\r\nContent-Length: 2\r\n\r\nok", "200 close");
        check("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", "200");
        check("HTTP/1.1 200 OK\r\nConnection: clos\r\nContent-Length: 2\r\n\r\nok", "200");
        // no length: the body ends with the connection
        check("HTTP/1.1 200 OK\r\n\r\nuntil the end", true, 1, false, true, "200 body=until the end close");
    }

    @Test
    void cutShortIsReported() {
        check("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf", true, 1, false, false, "cut short");
        check("HTTP/1.1 200 OK\r\n", true, 1, false, false, "cut short");
        check("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true, 1, false, false, "200");
    }

    @Test
    void garbageAndLimitsAreErrors() {
        assertTrue(parse("\u0000\u00ff this is not HTTP at all \r\n\r\n", new int[0], false, 1, false, false).get(0)
                .startsWith("error: not an HTTP/1.x response: ?? this is not HTTP"));
        assertEquals(List.of("error: not an HTTP/1.x response: HTTP/2 200"),
                parse("HTTP/2 200\r\n\r\n", new int[0], false, 1, false, false));
        assertEquals(List.of("error: invalid Content-Length: Content-Length: 12a"),
                parse("HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", new int[0], false, 1, false, false));
        assertEquals(List.of("error: conflicting Content-Length headers"),
                parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", new int[0], false, 1, false, false));
        assertEquals(List.of("error: invalid chunk size: zz"),
                parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", new int[0], false, 1, false, false));
        StringBuilder huge = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 2000; i++) {
            huge.append("X-Padding-").append(i).append(": ").append("y".repeat(100)).append("\r\n");
        }
        assertEquals(List.of("error: response headers over 65536 bytes"),
                parse(huge.append("\r\n").toString(), new int[] {100, 30000}, false, 1, false, false));
        assertEquals(List.of("error: status line over 16384 bytes"),
                parse("HTTP/1.1 200 " + "x".repeat(20000), new int[] {5000}, false, 1, false, false));
        assertEquals(List.of("error: the target sent a response to no request: HTTP/1.1 200 OK"),
                parse("HTTP/1.1 200 OK\r\n\r\n", new int[0], false, 0, false, false));
    }

    @Test
    void bodiesOverTheCapAreTooLarge() {
        assertEquals(List.of("too large: response body over 1000 bytes"),
                parse("HTTP/1.1 200 OK\r\nContent-Length: 1001\r\n\r\n", new int[0], false, 1, false, false));
        String chunk = "64\r\n" + "z".repeat(100) + "\r\n";
        List<String> e = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk.repeat(20), new int[] {60},
                false, 1, false, false);
        assertEquals(List.of("too large: response body over 1000 bytes"), e);
        assertEquals(List.of("too large: response body over 1000 bytes"),
                parse("HTTP/1.1 200 OK\r\n\r\n" + "z".repeat(1500), new int[0], false, 1, false, true));
    }

    @Test
    void nothingAfterAFailure() {
        List<String> e = parse("garbage\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", new int[0], true, 2, false, false);
        assertEquals(1, e.size(), e.toString());
        assertFalse(e.get(0).startsWith("200"));
    }
}
