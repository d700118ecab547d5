package dev.loadleak.engine.client;

import dev.loadleak.engine.EnginePlan;
import dev.loadleak.engine.PreparedRequest;
import dev.loadleak.engine.Transport;
import dev.loadleak.engine.TransportFactory;
import dev.loadleak.engine.http1.Http1Transport;
import dev.loadleak.engine.vertx.VertxTransport;
import dev.loadleak.scenario.Defaults;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import javax.net.ssl.SSLException;

/**
 * Which client carries a run's requests: the lean HTTP/1.1 client when it can carry every request,
 * else Vert.x's HttpClient. The one room that knows both; the engine core is handed {@link #STANDARD}.
 */
public final class Clients {
    /** The lean client when it can carry every request, else Vert.x's HttpClient. */
    public static final TransportFactory STANDARD = Clients::forPlan;

    private Clients() {
    }

    /** The lean client when it can carry every request of {@code plan}, else Vert.x's HttpClient. */
    static Transport forPlan(Vertx vertx, Context context, EnginePlan plan, PreparedRequest[] prepared,
                             int maxConnections, int timeoutMillis) {
        if (leanSuits(plan, prepared)) {
            try {
                return new Http1Transport(vertx, context, plan.target(), maxConnections,
                        plan.protocol().requestsPerConnection(), timeoutMillis, plan.protocol().insecure(),
                        plan.protocol().maxBody());
            } catch (SSLException e) {
                // the JDK could not make a TLS context: Vert.x's client then reports its TLS failures per request
            }
        }
        return new VertxTransport(vertx, plan.protocol(), maxConnections, timeoutMillis);
    }

    /** Whether the lean client can carry every request of {@code plan}. */
    private static boolean leanSuits(EnginePlan plan, PreparedRequest[] prepared) {
        String scheme = plan.target().getScheme();
        if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || plan.target().getHost() == null
                || plan.protocol().http() == Defaults.HttpVersion.HTTP_2
                || plan.protocol().followRedirects() > 0 || plan.protocol().client() == Defaults.Client.VERTX) {
            return false;
        }
        for (PreparedRequest p : prepared) {
            if (p != null && !p.leanCapable()) {
                return false;
            }
        }
        return true;
    }
}
