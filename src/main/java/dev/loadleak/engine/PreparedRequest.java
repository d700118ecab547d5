package dev.loadleak.engine;

import dev.loadleak.scenario.RequestSpec;
import dev.loadleak.scenario.Template;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A request ready to send. Without variables it is rendered once (options and body reused for
 * every send); with variables only the parts that vary are rendered per send.
 */
final class PreparedRequest {
    final RequestSpec spec;
    private final String origin;
    private final URI target;
    private final HttpMethod method;
    private final long connectTimeoutMillis;
    private final Map<String, Template> headers;
    private final RequestOptions staticOptions;
    private final Buffer staticBody;
    private final Template bodyTemplate;
    private final boolean followRedirects;

    PreparedRequest(RequestSpec spec, URI target, Map<String, Template> defaultHeaders, long timeoutNanos,
                    boolean followRedirects) {
        this.spec = spec;
        this.followRedirects = followRedirects;
        this.target = target;
        this.origin = target.getScheme() + "://" + target.getRawAuthority();
        this.method = HttpMethod.valueOf(spec.method());
        this.connectTimeoutMillis = Math.max(1, timeoutNanos / 1_000_000);
        Map<String, Template> h = new LinkedHashMap<>(defaultHeaders);
        spec.headers().forEach((k, v) -> {
            h.keySet().removeIf(existing -> existing.equalsIgnoreCase(k));
            h.put(k, v);
        });
        this.headers = h;
        boolean constant = spec.url().isConstant() && h.values().stream().allMatch(Template::isConstant);
        this.staticOptions = constant ? build(spec.url().constant(), null, 0, null) : null;
        RequestSpec.Body b = spec.body();
        if (b instanceof RequestSpec.TextBody t && !t.text().isConstant()) {
            bodyTemplate = t.text();
            staticBody = null;
        } else {
            bodyTemplate = null;
            staticBody = b == null ? null : Buffer.buffer(bytes(b));
        }
    }

    static byte[] bytes(RequestSpec.Body b) {
        if (b instanceof RequestSpec.TextBody t) {
            return t.text().constant().getBytes(StandardCharsets.UTF_8);
        }
        if (b instanceof RequestSpec.FileBody f) {
            return f.bytes();
        }
        return ((RequestSpec.MultipartBody) b).encoded();
    }

    RequestOptions options(long seq, SplittableRandom random) {
        if (staticOptions != null) {
            return staticOptions;
        }
        return build(spec.url().render(seq, random), headers, seq, random);
    }

    /** The body for this send, or null. */
    Buffer body(long seq, SplittableRandom random) {
        if (bodyTemplate != null) {
            return Buffer.buffer(bodyTemplate.render(seq, random));
        }
        return staticBody;
    }

    private RequestOptions build(String url, Map<String, Template> hs, long seq, SplittableRandom random) {
        String absolute = url.startsWith("/") ? (target.getRawPath() == null || target.getRawPath().isEmpty()
                ? origin + url : target.resolve(url).toString()) : url;
        RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI(absolute)
                .setConnectTimeout(connectTimeoutMillis).setFollowRedirects(followRedirects);
        (hs == null ? headers : hs).forEach((k, v) -> o.putHeader(k, v.isConstant() ? v.constant() : v.render(seq, random)));
        return o;
    }
}
