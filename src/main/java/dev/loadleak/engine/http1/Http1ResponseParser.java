package dev.loadleak.engine.http1;

import dev.loadleak.engine.ClientSettings;
import dev.loadleak.engine.PreparedRequest;
import dev.loadleak.engine.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

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
    /** The most of a connection's bytes {@link #wholeHead} reads a head from. */
    static final int SCRATCH = 4096;

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
        void complete(int status, List<String> headers, String body, boolean close);

        /** The bytes are not a usable response: the connection must be closed. */
        void error(String why, boolean tooLarge);
    }

    private enum State { STATUS, HEADERS, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, FAILED }

    private final Events events;
    private final long maxBody;
    private final long maxKept;
    private final byte[] scratch;
    private final ResponseHead head = new ResponseHead();
    private State state = State.STATUS;
    private byte[] line = new byte[256];
    private int lineLength;
    private int headBytes;
    private long remaining;
    private long bodyBytes;
    private boolean keepBody;
    private byte[] body;
    private int bodyLength;

    Http1ResponseParser(Events events, long maxBody) {
        this(events, maxBody, maxBody, new byte[SCRATCH]);
    }

    /**
     * {@code maxKept}: the most of a body kept for its request ({@code defaults.maxBody}); {@code maxBody}, read at
     * all; {@code scratch}: {@value #SCRATCH} bytes this parser may overwrite whenever it is fed (one per event loop).
     */
    Http1ResponseParser(Events events, long maxBody, long maxKept, byte[] scratch) {
        this.scratch = scratch;
        this.maxKept = Math.min(maxKept, maxBody);
        this.events = events;
        this.maxBody = maxBody;
    }

    /** Reads every readable byte of {@code in} (the caller still owns and releases it). */
    void feed(ByteBuf in) {
        while (in.isReadable() && state != State.FAILED) {
            if (state == State.STATUS && lineLength == 0 && wholeHead(in)) {
                continue;
            }
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
     * The common case at speed: a head that has arrived whole is read from one copy of up to
     * {@code scratch.length} bytes, in place, rather than line by line. Returns false having consumed
     * nothing when the head goes on past them (the line-by-line path then reads it: what was parsed
     * here is set anew by the status line).
     */
    private boolean wholeHead(ByteBuf in) {
        byte[] b = scratch;
        int k = Math.min(in.readableBytes(), b.length);
        in.getBytes(in.readerIndex(), b, 0, k);
        int start = 0;
        for (int i = 0; i < k; i++) {
            if (b[i] != '\n') {
                continue;
            }
            int n = i > start && b[i - 1] == '\r' ? i - start - 1 : i - start;
            int at = start;
            start = i + 1;
            if (state == State.STATUS) {
                statusLine(b, at, n);
            } else if (n == 0) {
                in.skipBytes(start);
                endOfHead();
                return true;
            } else {
                header(b, at, n);
            }
            if (state == State.FAILED) {
                in.skipBytes(start);
                return true;
            }
        }
        state = State.STATUS;
        return false;
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
            case STATUS -> statusLine(line, 0, n);
            case HEADERS -> {
                if (n == 0) {
                    endOfHead();
                } else {
                    header(line, 0, n);
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

    private void statusLine(byte[] b, int o, int n) {
        if (n == 0) {
            return; // tolerate stray CRLF between responses
        }
        if (events.headRequest() == null) {
            fail("the target sent a response to no request: " + AsciiLine.printable(b, o, n));
            return;
        }
        String why = head.begin(b, o, n, events.keepHeaders());
        if (why != null) {
            fail(why);
            return;
        }
        headBytes = 0;
        state = State.HEADERS;
    }

    private void header(byte[] b, int o, int n) {
        String why = head.header(b, o, n);
        if (why != null) {
            fail(why);
        }
    }

    private void endOfHead() {
        if (head.status >= 100 && head.status < 200) {
            if (head.status == 101) {
                fail("the target switched protocols (101), which loadleak did not ask for");
                return;
            }
            state = State.STATUS; // interim response: the real one follows
            return;
        }
        head.close |= head.http10 && !head.keepAlive;
        keepBody = events.keepBody();
        bodyBytes = 0;
        bodyLength = 0;
        boolean noBody = Boolean.TRUE.equals(events.headRequest()) || head.status == 204 || head.status == 304;
        if (noBody) {
            finish();
        } else if (head.chunked) {
            state = State.CHUNK_SIZE;
        } else if (head.contentLength >= 0) {
            if (head.contentLength > (keepBody ? maxKept : maxBody)) {
                tooLarge();
                return;
            }
            remaining = head.contentLength;
            if (remaining == 0) {
                finish();
            } else {
                state = State.FIXED;
            }
        } else {
            head.close = true; // delimited by the end of the connection
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
                fail("invalid chunk size: " + AsciiLine.printable(line, 0, n));
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
            fail("invalid chunk size: " + AsciiLine.printable(line, 0, n));
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
        state = head.close ? State.FAILED : State.STATUS;
        events.complete(head.status, head.takeHeaders(), text, head.close);
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
