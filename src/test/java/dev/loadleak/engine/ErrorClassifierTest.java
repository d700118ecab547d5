package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loadleak.result.ErrorKind;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {
    @Test
    void classifiesClientFailures() {
        assertEquals(ErrorKind.CONNECT, ErrorClassifier.classify(new ConnectException("Connection refused")));
        assertEquals(ErrorKind.CONNECT, ErrorClassifier.classify(new ConnectTimeoutException("connection timed out")));
        assertEquals(ErrorKind.CONNECT, ErrorClassifier.classify(new UnknownHostException("nowhere.invalid")));
        assertEquals(ErrorKind.TIMEOUT, ErrorClassifier.classify(new TimeoutException("request timeout")));
        assertEquals(ErrorKind.RESET, ErrorClassifier.classify(new HttpClosedException("Connection was closed")));
        assertEquals(ErrorKind.RESET, ErrorClassifier.classify(new IOException("Connection reset by peer")));
        assertEquals(ErrorKind.RESET, ErrorClassifier.classify(new VertxException("Connection was closed", true)));
        assertEquals(ErrorKind.OTHER, ErrorClassifier.classify(new IllegalStateException("bad chunk")));
    }

    @Test
    void classifiesStatuses() {
        assertEquals(ErrorKind.STATUS_4XX, ErrorClassifier.forStatus(404));
        assertEquals(ErrorKind.STATUS_4XX, ErrorClassifier.forStatus(429));
        assertEquals(ErrorKind.STATUS_5XX, ErrorClassifier.forStatus(500));
        assertEquals(ErrorKind.STATUS_5XX, ErrorClassifier.forStatus(503));
        assertEquals("status_5xx", ErrorKind.STATUS_5XX.label());
    }
}
