package dev.loadleak.engine;

import dev.loadleak.result.ErrorKind;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Maps what the HTTP client reports to an {@link ErrorKind}. */
public final class ErrorClassifier {
    private ErrorClassifier() {
    }

    public static ErrorKind classify(Throwable t) {
        if (t instanceof ConnectTimeoutException) {
            return ErrorKind.CONNECT;
        }
        if (t instanceof TimeoutException) {
            return ErrorKind.TIMEOUT;
        }
        if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
            return ErrorKind.CONNECT;
        }
        if (tls(t)) {
            return ErrorKind.TLS;
        }
        if (t instanceof HttpClosedException || t instanceof ClosedChannelException) {
            return ErrorKind.RESET;
        }
        String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (msg.contains("connection reset") || msg.contains("connection was closed") || msg.contains("broken pipe")) {
            return ErrorKind.RESET;
        }
        if (msg.contains("timeout") || msg.contains("timed out")) {
            return ErrorKind.TIMEOUT;
        }
        if (t instanceof IOException && msg.contains("refused")) {
            return ErrorKind.CONNECT;
        }
        return ErrorKind.OTHER;
    }

    private static boolean tls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SSLException || c instanceof CertificateException
                    || c instanceof io.netty.handler.ssl.NotSslRecordException) {
                return true;
            }
        }
        return false;
    }

    public static ErrorKind forStatus(int status) {
        return status >= 500 ? ErrorKind.STATUS_5XX : ErrorKind.STATUS_4XX;
    }

    public static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
