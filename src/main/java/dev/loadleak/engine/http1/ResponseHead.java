package dev.loadleak.engine.http1;

import dev.loadleak.engine.PreparedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The head of the response {@link Http1ResponseParser} is reading: its status, the framing headers, and the headers
 * kept when the request asked for them. It reads lines in place, in whatever array holds them (the parser's line, or
 * its scratch copy of a head that arrived whole), and reports a malformed line by returning why.
 */
final class ResponseHead {
    int status;
    boolean http10;
    boolean close;
    boolean keepAlive;
    boolean chunked;
    long contentLength;
    /** The headers kept (name, value, …), made at the first one kept, else null. */
    List<String> headers;
    private int keepHeaders;

    /**
     * Begins a head at its status line {@code b[o, o + n)}, "HTTP/1.x SSS reason", keeping the headers {@code keep}
     * says ({@link PreparedRequest#KEEP_NONE}, {@link PreparedRequest#KEEP_SET_COOKIE} or
     * {@link PreparedRequest#KEEP_ALL}); returns why it is not a status line, or null.
     */
    String begin(byte[] b, int o, int n, int keep) {
        if (n < 12 || !AsciiLine.startsWith(b, o, "HTTP/1.") || b[o + 8] != ' ' || !AsciiLine.digit(b[o + 9])
                || !AsciiLine.digit(b[o + 10]) || !AsciiLine.digit(b[o + 11]) || (n > 12 && b[o + 12] != ' ')) {
            return "not an HTTP/1.x response: " + AsciiLine.printable(b, o, n);
        }
        status = (b[o + 9] - '0') * 100 + (b[o + 10] - '0') * 10 + (b[o + 11] - '0');
        http10 = b[o + 7] == '0';
        close = false;
        keepAlive = false;
        chunked = false;
        contentLength = -1;
        headers = null;
        keepHeaders = keep;
        return null;
    }

    /** Reads the header line {@code b[o, o + n)}; returns why it is malformed, or null. */
    String header(byte[] b, int o, int n) {
        int end = o + n;
        int colon = -1;
        for (int i = o; i < end; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= o) {
            // a line starting with a space or tab is obsolete line folding: a continuation of an ignored value
            return b[o] == ' ' || b[o] == '\t' ? null : "malformed response header: " + AsciiLine.printable(b, o, n);
        }
        int vs = colon + 1;
        while (vs < end && (b[vs] == ' ' || b[vs] == '\t')) {
            vs++;
        }
        int ve = end;
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
            ve--;
        }
        if (keepHeaders == PreparedRequest.KEEP_ALL
                || keepHeaders == PreparedRequest.KEEP_SET_COOKIE && AsciiLine.nameIs(b, o, "set-cookie", colon)) {
            if (headers == null) {
                headers = new ArrayList<>(4);
            }
            headers.add(new String(b, o, colon - o, StandardCharsets.ISO_8859_1));
            headers.add(new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1));
        }
        if (AsciiLine.nameIs(b, o, "content-length", colon)) {
            return contentLength(b, o, n, vs, ve);
        } else if (AsciiLine.nameIs(b, o, "transfer-encoding", colon)) {
            chunked = AsciiLine.valueEndsWith(b, "chunked", vs, ve);
        } else if (AsciiLine.nameIs(b, o, "connection", colon)) {
            close |= AsciiLine.valueContains(b, "close", vs, ve);
            keepAlive |= AsciiLine.valueContains(b, "keep-alive", vs, ve);
        }
        return null;
    }

    private String contentLength(byte[] b, int o, int n, int vs, int ve) {
        if (ve == vs) {
            return "empty Content-Length";
        }
        long v = 0;
        for (int i = vs; i < ve; i++) {
            if (!AsciiLine.digit(b[i]) || v > (Long.MAX_VALUE - 9) / 10) {
                return "invalid Content-Length: " + AsciiLine.printable(b, o, n);
            }
            v = v * 10 + (b[i] - '0');
        }
        if (contentLength >= 0 && contentLength != v) {
            return "conflicting Content-Length headers";
        }
        contentLength = v;
        return null;
    }

    /** The headers kept, which the head no longer holds. */
    List<String> takeHeaders() {
        List<String> kept = headers;
        headers = null;
        return kept;
    }
}
