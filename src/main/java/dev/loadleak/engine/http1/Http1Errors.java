package dev.loadleak.engine.http1;

import java.io.IOException;

/** How the lean client's requests fail when the fault is the connection's or the answer's: outcomes, not bugs. */
final class Http1Errors {
    private Http1Errors() {
    }

    /** Why the other requests of a connection failed when one of them timed out. */
    static final class ConnectionClosed extends IOException {
        ConnectionClosed(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an outcome, not a bug: no stack trace to capture
        }
    }

    /** The response could not be parsed. */
    static final class ProtocolError extends IOException {
        ProtocolError(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // an outcome, not a bug: no stack trace to capture
        }
    }
}
