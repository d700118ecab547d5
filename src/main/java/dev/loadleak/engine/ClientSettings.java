package dev.loadleak.engine;

import dev.loadleak.scenario.Defaults;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import javax.net.ssl.SSLException;

/**
 * The client settings a scenario's {@code defaults} ask for: for Vert.x's client TLS trust,
 * redirects, HTTP/2 and pipelining; for the lean client its TLS context.
 */
public final class ClientSettings {
    /** Bytes read per response at most: a body that never ends must not hold a connection for ever. */
    public static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;

    private ClientSettings() {
    }

    public static HttpClientOptions options(Defaults d, int timeoutMillis) {
        HttpClientOptions co = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setKeepAliveTimeout(300).setConnectTimeout(timeoutMillis)
                .setMaxRedirects(Math.max(1, d.followRedirects()));
        if (d.insecure()) {
            co.setTrustAll(true).setVerifyHost(false);
        }
        if (d.http() == Defaults.HttpVersion.HTTP_2) {
            // h2 is negotiated by ALPN on https; on http, h2c with prior knowledge (no upgrade round trip)
            co.setProtocolVersion(HttpVersion.HTTP_2).setUseAlpn(true).setHttp2ClearTextUpgrade(false)
                    .setHttp2MultiplexingLimit(d.requestsPerConnection());
        } else if (d.pipelining() > 1) {
            co.setPipelining(true).setPipeliningLimit(d.pipelining());
        }
        return co;
    }

    /** At most {@code connections} connections, HTTP/1.1 or HTTP/2 (requests in flight: × requests per connection). */
    public static PoolOptions pool(int connections) {
        int c = Math.max(1, connections);
        return new PoolOptions().setHttp1MaxSize(c).setHttp2MaxSize(c);
    }

    /** The lean client's TLS: the JDK's provider, the host name checked unless {@code insecure}. */
    public static SslContext leanTls(boolean insecure) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        return insecure ? b.trustManager(InsecureTrustManagerFactory.INSTANCE).build()
                : b.endpointIdentificationAlgorithm("HTTPS").build();
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
