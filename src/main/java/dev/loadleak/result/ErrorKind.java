package dev.loadleak.result;

import java.util.Locale;

/** Why a request failed. A failure is counted data, never an exception that stops the run. */
public enum ErrorKind {
    /** The connection could not be opened (refused, unreachable, unknown host, connect timeout). */
    CONNECT,
    /** No complete response within the request timeout. */
    TIMEOUT,
    /** The connection was reset or closed before the response was complete. */
    RESET,
    /** The TLS handshake failed: untrusted or invalid certificate, no common protocol, not TLS at all. */
    TLS,
    /** The response had a 4xx status. */
    STATUS_4XX,
    /** The response had a 5xx status. */
    STATUS_5XX,
    /** The response did not meet the request's {@code expect} (status, body text, JSON value). */
    ASSERTION,
    /** The response body was larger than the cap on bytes read per response (an endless body, say). */
    BODY_TOO_LARGE,
    /** The redirect chain was longer than {@code followRedirects} allows (a 301/302 loop, say). */
    REDIRECTS,
    /** Anything else (protocol errors, ...); the first message of each kind is kept in the result. */
    OTHER,
    /**
     * A real-time connection ended under a step: the server closed it, or stopped its heartbeats
     * (Engine.IO pings), or a step needed it after it had ended.
     */
    DISCONNECT,
    /** A Socket.IO server refused the namespace connect ({@code connect_error}, e.g. a bad auth token). */
    CONNECT_ERROR;

    /** Whether an answer arrived (a status or an {@code expect} failed): its latency is then worth knowing. */
    public boolean answered() {
        return this == STATUS_4XX || this == STATUS_5XX || this == ASSERTION || this == REDIRECTS
                || this == BODY_TOO_LARGE || this == CONNECT_ERROR;
    }

    /** The name used in JSON and reports: {@code connect}, {@code status_5xx}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
