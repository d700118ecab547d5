package dev.loadleak.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Plain blocking GETs outside the load path (preflight, memory scrapes), on the JDK's
 * {@link HttpURLConnection}: it lives in java.base, so it is in every runtime and native image
 * (java.net.http is not in every native toolchain). With {@code insecure}, any certificate and
 * host name are accepted, as the load engine does for {@code defaults.insecure: true}.
 */
public final class JdkHttp {
    private static volatile SSLSocketFactory trustAll;

    private JdkHttp() {
    }

    /** A response: status and body (the body is read up to {@code maxBody} bytes). */
    public record Response(int status, String body, boolean truncated) {
    }

    /**
     * GET {@code uri}; {@code bearerToken} may be null. Connect and read each within {@code timeout}.
     *
     * @throws IOException as the JDK reports it (ConnectException, SocketTimeoutException, SSLException...)
     */
    public static Response get(URI uri, Duration timeout, String bearerToken, boolean insecure, int maxBody)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        try {
            int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            c.setConnectTimeout(ms);
            c.setReadTimeout(ms);
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("Accept", "*/*");
            c.setRequestProperty("User-Agent", "loadleak");
            if (bearerToken != null) {
                c.setRequestProperty("Authorization", "Bearer " + bearerToken);
            }
            if (insecure && c instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(trustAllFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            if (in == null) {
                return new Response(status, "", false);
            }
            try (in) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (out.size() + n > maxBody) {
                        return new Response(status, out.toString(StandardCharsets.UTF_8), true);
                    }
                    out.write(buf, 0, n);
                }
                return new Response(status, out.toString(StandardCharsets.UTF_8), false);
            }
        } finally {
            c.disconnect();
        }
    }

    private static SSLSocketFactory trustAllFactory() throws IOException {
        SSLSocketFactory f = trustAll;
        if (f == null) {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
                f = ctx.getSocketFactory();
                trustAll = f;
            } catch (GeneralSecurityException e) {
                throw new IOException("no TLS in this runtime: " + e.getMessage(), e);
            }
        }
        return f;
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
