package dev.loadleak.engine.http1;

import dev.loadleak.engine.ClientSettings;
import dev.loadleak.engine.PreparedRequest;
import dev.loadleak.engine.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An HTTP/1.x response parser for the lean client: it reads a connection's bytes as they come
 * (split anywhere), finds where each response ends (Content-Length, chunked, or the end of the
 * connection), and keeps only the status, the framing headers and, when an {@code expect} needs
 * it, the body. Everything else is skipped without building objects, so a response costs no
 * garbage unless its body is wanted.
 *
 * <p>Limits, each an error that closes the connection: a status line or header line over
 * {@value #MAX_LINE} bytes, a header block over {@value #MAX_HEAD} bytes, a body over
 * {@link ClientSettings#MAX_RESPONSE_BYTES} (reported as too large), bytes that are not HTTP/1.x.
 * Interim 1xx responses (100 Continue, 103 Early Hints) are skipped.
 */
final class Http1ResponseParser {
    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEAD = 64 * 1024;

    /** What the parser reports; it asks for the flags of the request a response answers. */
    interface Events {
        /** Whether the oldest unanswered request is a HEAD (its response has no body), or null if none is outstanding. */
        Boolean headRequest();

        /** Whether the oldest unanswered request needs its response body kept. */
        boolean keepBody();

        /**
         * Which headers of the oldest unanswered request's response are kept: {@link PreparedRequest#KEEP_NONE},
         * {@link PreparedRequest#KEEP_SET_COOKIE} (a flow step's cookie jar) or {@link PreparedRequest#KEEP_ALL}
         * (a header extraction).
         */
        int keepHeaders();

        /**
         * A response ended. {@code body} is null unless {@link #keepBody()} said so, {@code headers}
         * (name, value, …) null unless {@link #keepHeaders()} did; {@code close} says the connection
         * cannot carry another response.
         */
        void complete(int status, java.util.List<String> headers, String body, boolean close);

        /** The bytes are not a usable response: the connection must be closed. */
        void error(String why, boolean tooLarge);
    }

    private enum State { STATUS, HEADERS, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, FAILED }

    private final Events events;
    private final long maxBody;
    private final long maxKept;
    private State state = State.STATUS;
    private byte[] line = new byte[256];
    private int lineLength;
    private int headBytes;
    private int status;
    private boolean http10;
    private boolean close;
    private boolean keepAlive;
    private boolean chunked;
    private long contentLength;
    private long remaining;
    private long bodyBytes;
    private boolean keepBody;
    private byte[] body;
    private int bodyLength;
    /** The headers kept of the response being read (made at the first one kept), else null. */
    private java.util.List<String> headers;
    private int keepHeaders;

    Http1ResponseParser(Events events, long maxBody) {
        this(events, maxBody, maxBody);
    }

    /** {@code maxKept}: the most of a body kept for its request ({@code defaults.maxBody}); {@code maxBody}, read at all. */
    Http1ResponseParser(Events events, long maxBody, long maxKept) {
        this.maxKept = Math.min(maxKept, maxBody);
        this.events = events;
        this.maxBody = maxBody;
    }

    /** Reads every readable byte of {@code in} (the caller still owns and releases it). */
    void feed(ByteBuf in) {
        while (in.isReadable() && state != State.FAILED) {
            switch (state) {
                case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END, TRAILERS -> {
                    if (!readLine(in)) {
                        return;
                    }
                    onLine();
                }
                case FIXED, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    if (!body(in, n)) {
                        return;
                    }
                    remaining -= n;
                    if (remaining == 0) {
                        if (state == State.FIXED) {
                            finish();
                        } else {
                            state = State.CHUNK_END;
                        }
                    }
                }
                case UNTIL_CLOSE -> {
                    if (!body(in, in.readableBytes())) {
                        return;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /**
     * The connection ended: a response delimited by the end of the connection is complete; returns
     * whether a response was cut short (a partial one was being read).
     */
    boolean closed() {
        if (state == State.UNTIL_CLOSE) {
            finish();
            state = State.FAILED;
            return false;
        }
        boolean partial = state != State.FAILED && (state != State.STATUS || lineLength > 0);
        state = State.FAILED;
        return partial;
    }

    private boolean readLine(ByteBuf in) {
        int start = in.readerIndex();
        int lf = in.forEachByte(start, in.readableBytes(), ByteProcessor.FIND_LF);
        int end = lf < 0 ? in.writerIndex() : lf + 1;
        int n = end - start;
        if (lineLength + n > MAX_LINE) {
            fail(state == State.STATUS ? "status line over " + MAX_LINE + " bytes" : "response line over " + MAX_LINE + " bytes");
            return false;
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, lineLength + n)));
        }
        in.readBytes(line, lineLength, n);
        lineLength += n;
        if (state == State.HEADERS || state == State.TRAILERS) {
            headBytes += n;
            if (headBytes > MAX_HEAD) {
                fail("response headers over " + MAX_HEAD + " bytes");
                return false;
            }
        }
        return lf >= 0;
    }

    /** The line in {@code line} without its CR LF. */
    private int contentLength() {
        int n = lineLength;
        if (n > 0 && line[n - 1] == '\n') {
            n--;
        }
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        return n;
    }

    private void onLine() {
        int n = contentLength();
        lineLength = 0;
        switch (state) {
            case STATUS -> statusLine(n);
            case HEADERS -> {
                if (n == 0) {
                    endOfHead();
                } else {
                    header(n);
                }
            }
            case CHUNK_SIZE -> chunkSize(n);
            case CHUNK_END -> {
                if (n != 0) {
                    fail("chunk not followed by CRLF");
                } else {
                    state = State.CHUNK_SIZE;
                }
            }
            case TRAILERS -> {
                if (n == 0) {
                    finish();
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void statusLine(int n) {
        if (n == 0) {
            return; // tolerate stray CRLF between responses
        }
        Boolean head = events.headRequest();
        if (head == null) {
            fail("the target sent a response to no request: " + AsciiLine.printable(line, n));
            return;
        }
        // "HTTP/1.x SSS reason"
        if (n < 12 || !AsciiLine.startsWith(line, "HTTP/1.") || line[8] != ' ' || !AsciiLine.digit(line[9])
                || !AsciiLine.digit(line[10]) || !AsciiLine.digit(line[11]) || (n > 12 && line[12] != ' ')) {
            fail("not an HTTP/1.x response: " + AsciiLine.printable(line, n));
            return;
        }
        status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        http10 = line[7] == '0';
        close = false;
        keepAlive = false;
        chunked = false;
        contentLength = -1;
        headBytes = 0;
        headers = null;
        keepHeaders = events.keepHeaders();
        state = State.HEADERS;
    }

    private void header(int n) {
        int colon = -1;
        for (int i = 0; i < n; i++) {
            if (line[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            if (line[0] == ' ' || line[0] == '\t') {
                return; // obsolete line folding: a continuation of an ignored value
            }
            fail("malformed response header: " + AsciiLine.printable(line, n));
            return;
        }
        int vs = colon + 1;
        while (vs < n && (line[vs] == ' ' || line[vs] == '\t')) {
            vs++;
        }
        int ve = n;
        while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t')) {
            ve--;
        }
        if (keepHeaders == PreparedRequest.KEEP_ALL
                || keepHeaders == PreparedRequest.KEEP_SET_COOKIE && AsciiLine.nameIs(line, "set-cookie", colon)) {
            if (headers == null) {
                headers = new java.util.ArrayList<>(4);
            }
            headers.add(new String(line, 0, colon, StandardCharsets.ISO_8859_1));
            headers.add(new String(line, vs, ve - vs, StandardCharsets.ISO_8859_1));
        }
        if (AsciiLine.nameIs(line, "content-length", colon)) {
            long v = 0;
            if (ve == vs) {
                fail("empty Content-Length");
                return;
            }
            for (int i = vs; i < ve; i++) {
                if (!AsciiLine.digit(line[i]) || v > (Long.MAX_VALUE - 9) / 10) {
                    fail("invalid Content-Length: " + AsciiLine.printable(line, n));
                    return;
                }
                v = v * 10 + (line[i] - '0');
            }
            if (contentLength >= 0 && contentLength != v) {
                fail("conflicting Content-Length headers");
                return;
            }
            contentLength = v;
        } else if (AsciiLine.nameIs(line, "transfer-encoding", colon)) {
            chunked = AsciiLine.valueEndsWith(line, "chunked", vs, ve);
        } else if (AsciiLine.nameIs(line, "connection", colon)) {
            close |= AsciiLine.valueContains(line, "close", vs, ve);
            keepAlive |= AsciiLine.valueContains(line, "keep-alive", vs, ve);
        }
    }

    private void endOfHead() {
        if (status >= 100 && status < 200) {
            if (status == 101) {
                fail("the target switched protocols (101), which loadleak did not ask for");
                return;
            }
            state = State.STATUS; // interim response: the real one follows
            return;
        }
        close |= http10 && !keepAlive;
        keepBody = events.keepBody();
        bodyBytes = 0;
        bodyLength = 0;
        boolean noBody = Boolean.TRUE.equals(events.headRequest()) || status == 204 || status == 304;
        if (noBody) {
            finish();
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            if (contentLength > (keepBody ? maxKept : maxBody)) {
                tooLarge();
                return;
            }
            remaining = contentLength;
            if (remaining == 0) {
                finish();
            } else {
                state = State.FIXED;
            }
        } else {
            close = true; // delimited by the end of the connection
            state = State.UNTIL_CLOSE;
        }
    }

    private void chunkSize(int n) {
        long size = 0;
        int digits = 0;
        for (int i = 0; i < n; i++) {
            int d = Character.digit(line[i], 16);
            if (d < 0) {
                if (line[i] == ';' || line[i] == ' ' || line[i] == '\t') {
                    break; // chunk extensions are ignored
                }
                fail("invalid chunk size: " + AsciiLine.printable(line, n));
                return;
            }
            if (size > (maxBody << 4)) {
                tooLarge();
                return;
            }
            size = size * 16 + d;
            digits++;
        }
        if (digits == 0) {
            fail("invalid chunk size: " + AsciiLine.printable(line, n));
            return;
        }
        if (size == 0) {
            headBytes = 0;
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.CHUNK_DATA;
        }
    }

    /** Consumes {@code n} body bytes; false when the body went over the limit. */
    private boolean body(ByteBuf in, int n) {
        bodyBytes += n;
        if (bodyBytes > (keepBody ? maxKept : maxBody)) { // less may be read when it is kept
            tooLarge();
            return false;
        }
        if (keepBody) {
            if (body == null || bodyLength + n > body.length) {
                body = Arrays.copyOf(body == null ? new byte[0] : body, Math.max(bodyLength + n, Math.max(256,
                        body == null ? 0 : body.length * 2)));
            }
            in.readBytes(body, bodyLength, n);
            bodyLength += n;
        } else {
            in.skipBytes(n);
        }
        return true;
    }

    private void finish() {
        String text = keepBody ? new String(body == null ? new byte[0] : body, 0, bodyLength, StandardCharsets.UTF_8) : null;
        if (keepBody && body != null && body.length > 64 * 1024) {
            body = null; // do not keep a large buffer for the connection's lifetime
        }
        keepBody = false;
        bodyLength = 0;
        state = close ? State.FAILED : State.STATUS;
        java.util.List<String> kept = headers;
        headers = null;
        events.complete(status, kept, text, close);
    }

    private void tooLarge() {
        state = State.FAILED;
        events.error(keepBody && maxKept < maxBody ? Transport.keptBodyTooLarge(maxKept)
                : "response body over " + maxBody + " bytes", true);
    }

    private void fail(String why) {
        state = State.FAILED;
        events.error(why, false);
    }
}
