package dev.loadleak.engine;

import dev.loadleak.scenario.RequestSpec;
import dev.loadleak.scenario.Template;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
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
public final class PreparedRequest {
    /** No response header is kept. */
    public static final int KEEP_NONE = 0;
    /** Only Set-Cookie headers are kept (a user's cookie jar). */
    public static final int KEEP_SET_COOKIE = 1;
    /** Every header is kept (a header extraction). */
    public static final int KEEP_ALL = 2;

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
    /** For the lean HTTP/1.1 client: the whole request, encoded once, when nothing in it varies. */
    private final ByteBuf staticWire;
    /** For the lean client: the constant request-target when the URL is a constant URL on the target's origin. */
    private final String constantPath;
    private final boolean head;
    /** Whether an {@code expect} or an extraction reads the body (asked once per response on the hot path). */
    private final boolean needsBody;
    /** Whether the answer's headers are kept: a flow step's cookies or header extractions read them. */
    private final boolean needsHeaders;
    /** Only the {@code Set-Cookie} headers are needed (a cookie jar, no header extraction). */
    private final boolean cookiesOnly;
    /** The host a flow user's cookies are matched against, and whether the request goes over TLS. */
    private final String cookieHost;
    private final boolean secure;
    private int lastBodyBytes;

    /** The plan's requests, prepared: each keeps of its responses what the plan's flows read (body, headers, cookies). */
    static PreparedRequest[] forPlan(EnginePlan plan) {
        PreparedRequest[] prepared = new PreparedRequest[plan.requests().size()];
        for (int i = 0; i < prepared.length; i++) {
            if (plan.requests().get(i).realtime()) {
                continue; // a ws: or socketio: step: RealtimeSteps sends it, no HTTP request is made
            }
            boolean[] keep = FlowDriver.needs(plan.flows(), i);
            prepared[i] = new PreparedRequest(plan.requests().get(i), plan.target(), plan.defaultHeaders(),
                    plan.timeoutNanos(), plan.protocol().followRedirects() > 0, keep[0], keep[1], keep[2]);
        }
        return prepared;
    }

    public PreparedRequest(RequestSpec spec, URI target, Map<String, Template> defaultHeaders, long timeoutNanos,
                    boolean followRedirects) {
        this(spec, target, defaultHeaders, timeoutNanos, followRedirects, false, false, false);
    }

    /**
     * @param extractBody    a flow step extracts from the body (keep it)
     * @param keepHeaders    a flow step keeps cookies or extracts a header (keep the headers)
     * @param cookiesOnly    of the headers, only Set-Cookie is read (no header extraction)
     */
    public PreparedRequest(RequestSpec spec, URI target, Map<String, Template> defaultHeaders, long timeoutNanos,
                    boolean followRedirects, boolean extractBody, boolean keepHeaders, boolean cookiesOnly) {
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
        this.staticOptions = constant ? build(spec.url().constant(), null, 0, null, null) : null;
        RequestSpec.Body b = spec.body();
        if (b instanceof RequestSpec.TextBody t && !t.text().isConstant()) {
            bodyTemplate = t.text();
            staticBody = null;
        } else {
            bodyTemplate = null;
            staticBody = b == null ? null : Buffer.buffer(bytes(b));
        }
        this.head = "HEAD".equals(spec.method());
        this.needsBody = extractBody || spec.expect() != null && spec.expect().needsBody();
        this.needsHeaders = keepHeaders;
        this.cookiesOnly = cookiesOnly;
        URI absolute = spec.url().isConstant() && !spec.url().constant().startsWith("/")
                ? URI.create(spec.url().constant()) : target;
        this.cookieHost = absolute.getHost() == null ? "" : absolute.getHost();
        this.secure = "https".equalsIgnoreCase(absolute.getScheme());
        this.constantPath = spec.url().isConstant() ? sameOriginPath(spec.url().constant()) : null;
        if (constant && bodyTemplate == null && constantPath != null) {
            ByteBuf wire = Unpooled.directBuffer();
            encode(wire, constantPath, 0, null, null, null);
            this.staticWire = Unpooled.unreleasableBuffer(wire.asReadOnly());
        } else {
            this.staticWire = null;
        }
    }

    /**
     * Whether the lean HTTP/1.1 client can send this request: its URL is a path on the target
     * (a variable URL must start with a literal '/'), or a constant URL on the target's origin.
     */
    public boolean leanCapable() {
        if (constantPath != null) {
            return true;
        }
        return !spec.url().isConstant() && spec.url().parts().get(0) instanceof Template.Literal l && l.text().startsWith("/");
    }

    public boolean head() {
        return head;
    }

    public boolean needsBody() {
        return needsBody;
    }

    public boolean needsHeaders() {
        return needsHeaders;
    }

    /** Which response headers a client keeps: {@link #KEEP_NONE}, {@link #KEEP_SET_COOKIE} or {@link #KEEP_ALL}. */
    public int keepHeaders() {
        return !needsHeaders ? KEEP_NONE : cookiesOnly ? KEEP_SET_COOKIE : KEEP_ALL;
    }

    /** The host a flow user's cookies for this request are stored and matched under. */
    public String cookieHost() {
        return cookieHost;
    }

    /** The HTTP/1.1 request-target of {@code u}: its raw path ("/" when empty) and query. */
    public static String requestTarget(URI u) {
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getRawQuery() == null ? path : path + "?" + u.getRawQuery();
    }

    /** The request-target for {@code url} when it is on the target's origin, else null. */
    private String sameOriginPath(String url) {
        if (url.startsWith("/")) {
            return url;
        }
        try {
            URI u = URI.create(url);
            if (!origin.equalsIgnoreCase(u.getScheme() + "://" + u.getRawAuthority())) {
                return null;
            }
            return requestTarget(u);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The whole HTTP/1.1 request for this send, for the lean client: shared read-only bytes when
     * nothing varies, else rendered into a buffer from {@code alloc}. {@link #lastBodyBytes()} is
     * then the size of its body.
     */
    public ByteBuf wire(long seq, SplittableRandom random, ByteBufAllocator alloc) {
        return wire(seq, random, alloc, null, null);
    }

    /**
     * As {@link #wire(long, SplittableRandom, ByteBufAllocator)}, for a flow {@code user} (its values and cookies), or
     * null; a constant request is a view from {@code views} when given (the caller's, reused), else a new view.
     */
    public ByteBuf wire(long seq, SplittableRandom random, ByteBufAllocator alloc, StepContext user, WireViews views) {
        String cookies = null;
        if (user != null && constantPath != null) {
            user.sent(constantPath);
            cookies = user.cookieHeader(cookieHost, constantPath, secure);
        }
        if (staticWire != null && cookies == null) {
            lastBodyBytes = staticBody == null ? 0 : staticBody.length();
            return views == null ? staticWire.duplicate() : views.view(this, staticWire);
        }
        ByteBuf out = alloc.directBuffer(256);
        String path = constantPath != null ? constantPath : spec.url().render(seq, random, user);
        if (user != null && constantPath == null) {
            user.sent(path);
            cookies = user.cookieHeader(cookieHost, path, secure);
        }
        encode(out, path, seq, random, user, cookies);
        return out;
    }

    public int lastBodyBytes() {
        return lastBodyBytes;
    }

    private void encode(ByteBuf out, String path, long seq, SplittableRandom random, Template.Values values,
                        String cookies) {
        out.writeCharSequence(method.name(), StandardCharsets.US_ASCII);
        out.writeByte(' ');
        out.writeCharSequence(path, StandardCharsets.UTF_8);
        out.writeCharSequence(" HTTP/1.1\r\n", StandardCharsets.US_ASCII);
        boolean host = false;
        for (Map.Entry<String, Template> h : headers.entrySet()) {
            host |= h.getKey().equalsIgnoreCase("host");
            if (h.getKey().equalsIgnoreCase("content-length")) {
                continue; // computed from the body below
            }
            out.writeCharSequence(h.getKey(), StandardCharsets.US_ASCII);
            out.writeCharSequence(": ", StandardCharsets.US_ASCII);
            Template v = h.getValue();
            out.writeCharSequence(v.isConstant() ? v.constant() : v.render(seq, random, values), StandardCharsets.UTF_8);
            if (cookies != null && h.getKey().equalsIgnoreCase("cookie")) {
                out.writeCharSequence("; " + cookies, StandardCharsets.UTF_8); // one Cookie header (RFC 6265 5.4)
                cookies = null;
            }
            out.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        }
        if (!host) {
            out.writeCharSequence("Host: " + target.getRawAuthority() + "\r\n", StandardCharsets.US_ASCII);
        }
        if (cookies != null) {
            out.writeCharSequence("Cookie: " + cookies + "\r\n", StandardCharsets.UTF_8);
        }
        byte[] body = bodyTemplate != null ? bodyTemplate.render(seq, random, values).getBytes(StandardCharsets.UTF_8)
                : staticBody == null ? null : staticBody.getBytes();
        lastBodyBytes = body == null ? 0 : body.length;
        if (body != null || method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            out.writeCharSequence("Content-Length: " + lastBodyBytes + "\r\n", StandardCharsets.US_ASCII);
        }
        out.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
        if (body != null) {
            out.writeBytes(body);
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

    public RequestOptions options(long seq, SplittableRandom random, StepContext user) {
        if (staticOptions != null && user == null) {
            return staticOptions;
        }
        if (staticOptions != null && constantPath != null) {
            // the user's cookies are all that could vary: without any, the prepared options go
            user.sent(constantPath);
            if (user.cookieHeader(cookieHost, constantPath, secure) == null) {
                return staticOptions;
            }
        }
        return build(spec.url().render(seq, random, user), headers, seq, random, user);
    }

    /** The body for this send, or null. */
    public Buffer body(long seq, SplittableRandom random, StepContext user) {
        if (bodyTemplate != null) {
            return Buffer.buffer(bodyTemplate.render(seq, random, user));
        }
        return staticBody;
    }

    private RequestOptions build(String url, Map<String, Template> hs, long seq, SplittableRandom random,
                                 StepContext user) {
        // a path is on the target's origin, whatever path the target has (never URI.resolve: "//other/x" is a host)
        String absolute = url.startsWith("/") ? origin + url : url;
        RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI(absolute)
                .setConnectTimeout(connectTimeoutMillis).setFollowRedirects(followRedirects);
        (hs == null ? headers : hs).forEach((k, v) -> o.putHeader(k, v.isConstant() ? v.constant()
                : v.render(seq, random, user)));
        if (user != null) {
            URI u = URI.create(absolute);
            user.sent(requestTarget(u));
            String cookies = user.cookieHeader(u.getHost() == null ? cookieHost : u.getHost(), requestTarget(u),
                    "https".equalsIgnoreCase(u.getScheme()));
            if (cookies != null) {
                String explicit = o.getHeaders() == null ? null : o.getHeaders().get("Cookie");
                o.putHeader("Cookie", explicit == null ? cookies : explicit + "; " + cookies);
            }
        }
        return o;
    }
}
