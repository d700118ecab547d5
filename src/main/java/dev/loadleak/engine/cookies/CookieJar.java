package dev.loadleak.engine.cookies;

import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.ClientCookieEncoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One virtual user's cookies, kept as RFC 6265 (section 5.3) says: {@code Domain} (host-only when
 * absent; a domain the host does not match is refused), {@code Path} (the default path when
 * absent), {@code Max-Age} and {@code Expires} (a past date or {@code Max-Age<=0} deletes), and
 * {@code Secure} (never sent over http). Netty's {@link ClientCookieDecoder} parses each
 * {@code Set-Cookie} and {@link ClientCookieEncoder} writes the {@code Cookie} header; the jar logic is ours. Times are the engine clock's, so tests use a fake one.
 * Empty until the first cookie (no list per user that never gets one).
 */
public final class CookieJar {
    private static final Comparator<Entry> SEND_ORDER =
            Comparator.comparingInt((Entry e) -> -e.path.length()).thenComparingLong(e -> e.created);

    private List<Entry> entries;
    private long creations;
    /** The last header built, for the same host, path and scheme, until a cookie changes or expires. */
    private String cachedHost;
    private String cachedPath;
    private boolean cachedSecure;
    private String cachedHeader;
    private long cachedUntil = Long.MIN_VALUE;

    /** One stored cookie. */
    private static final class Entry {
        final String name;
        String value;
        final String domain;
        final boolean hostOnly;
        final String path;
        boolean secure;
        long expiresNanos;
        final long created;

        Entry(String name, String value, String domain, boolean hostOnly, String path, boolean secure, long expiresNanos,
              long created) {
            this.name = name;
            this.value = value;
            this.domain = domain;
            this.hostOnly = hostOnly;
            this.path = path;
            this.secure = secure;
            this.expiresNanos = expiresNanos;
            this.created = created;
        }
    }

    /**
     * Stores what one {@code Set-Cookie} header of an answer from {@code host} to a request for
     * {@code requestPath} says; a header Netty cannot parse, or a foreign domain, is ignored.
     */
    public void store(String setCookie, String host, String requestPath, long nowNanos) {
        cachedUntil = Long.MIN_VALUE;
        int semi = setCookie.indexOf(';');
        String pair = semi < 0 ? setCookie : setCookie.substring(0, semi);
        if (pair.indexOf('=') <= 0 || pair.substring(0, pair.indexOf('=')).isBlank()) {
            return; // RFC 6265 5.2: no name-value pair before the attributes
        }
        Cookie c = ClientCookieDecoder.LAX.decode(setCookie);
        if (c == null || c.name().isEmpty()) {
            return;
        }
        String h = host.toLowerCase(Locale.ROOT);
        String domain = c.domain();
        boolean hostOnly;
        if (domain == null || domain.isEmpty() || domain.equals(".")) {
            domain = h;
            hostOnly = true;
        } else {
            domain = (domain.startsWith(".") ? domain.substring(1) : domain).toLowerCase(Locale.ROOT);
            if (!domainMatches(h, domain)) {
                return; // a server may not set cookies for another domain
            }
            hostOnly = false;
        }
        String path = c.path() == null || !c.path().startsWith("/") ? defaultPath(requestPath) : c.path();
        long expires = Long.MAX_VALUE;
        if (c.maxAge() != Long.MIN_VALUE) {
            expires = c.maxAge() <= 0 ? Long.MIN_VALUE : nowNanos + Math.min(c.maxAge(), 1L << 32) * 1_000_000_000L;
        }
        Entry old = find(c.name(), domain, path);
        if (expires == Long.MIN_VALUE) {
            if (old != null) {
                entries.remove(old);
            }
            return;
        }
        if (old != null) {
            old.value = c.value();
            old.secure = c.isSecure();
            old.expiresNanos = expires;
            return;
        }
        if (entries == null) {
            entries = new ArrayList<>(2);
        }
        entries.add(new Entry(c.name(), c.value(), domain, hostOnly, path, c.isSecure(), expires, creations++));
    }

    /**
     * The {@code Cookie} header for a request to {@code host} and {@code path} (its query ignored),
     * or null when no cookie matches. Expired cookies are dropped on the way.
     */
    public String header(String host, String path, boolean secure, long nowNanos) {
        if (entries == null || entries.isEmpty()) {
            return null;
        }
        if (nowNanos < cachedUntil && secure == cachedSecure && host.equals(cachedHost) && path.equals(cachedPath)) {
            return cachedHeader; // a user sends the same cookies again and again: no garbage per request
        }
        String built = build(host, path, secure, nowNanos);
        cachedHost = host;
        cachedPath = path;
        cachedSecure = secure;
        cachedHeader = built;
        long until = Long.MAX_VALUE;
        for (Entry e : entries) {
            until = Math.min(until, e.expiresNanos);
        }
        cachedUntil = until;
        return built;
    }

    private String build(String host, String path, boolean secure, long nowNanos) {
        String h = host.toLowerCase(Locale.ROOT);
        String p = pathOnly(path);
        List<Entry> out = null;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.expiresNanos <= nowNanos) {
                entries.remove(i);
                continue;
            }
            if ((e.hostOnly ? h.equals(e.domain) : domainMatches(h, e.domain)) && pathMatches(p, e.path)
                    && (secure || !e.secure)) {
                out = out == null ? new ArrayList<>(entries.size()) : out;
                out.add(e);
            }
        }
        if (out == null) {
            return null;
        }
        // oldest first; Netty's encoder then orders by path length, longest first, keeping that order among equals
        out.sort(SEND_ORDER);
        List<Cookie> send = new ArrayList<>(out.size());
        for (Entry e : out) {
            DefaultCookie c = new DefaultCookie(e.name, e.value);
            c.setPath(e.path);
            send.add(c);
        }
        return ClientCookieEncoder.LAX.encode(send);
    }

    /** The value of the cookie {@code name} (any domain and path), or null. */
    public String value(String name) {
        if (entries != null) {
            for (Entry e : entries) {
                if (e.name.equals(name)) {
                    return e.value;
                }
            }
        }
        return null;
    }

    /** Every stored value (to redact them from error messages). */
    public List<String> values() {
        return entries == null ? List.of() : entries.stream().map(e -> e.value).filter(v -> !v.isEmpty()).toList();
    }

    public int size() {
        return entries == null ? 0 : entries.size();
    }

    public void clear() {
        entries = null;
        cachedUntil = Long.MIN_VALUE;
    }

    private Entry find(String name, String domain, String path) {
        if (entries != null) {
            for (Entry e : entries) {
                if (e.name.equals(name) && e.domain.equals(domain) && e.path.equals(path)) {
                    return e;
                }
            }
        }
        return null;
    }

    /** RFC 6265 5.1.3: the host is the domain, or ends with "." + domain and is not an IP address. */
    static boolean domainMatches(String host, String domain) {
        if (host.equals(domain)) {
            return true;
        }
        return host.endsWith(domain) && host.length() > domain.length()
                && host.charAt(host.length() - domain.length() - 1) == '.' && !isIp(host);
    }

    private static boolean isIp(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
    }

    /** RFC 6265 5.1.4: the cookie path is the request path, or a prefix ending at a "/". */
    static boolean pathMatches(String requestPath, String cookiePath) {
        if (requestPath.equals(cookiePath)) {
            return true;
        }
        return requestPath.startsWith(cookiePath)
                && (cookiePath.endsWith("/") || requestPath.charAt(cookiePath.length()) == '/');
    }

    /** RFC 6265 5.1.4: the directory of the request path ("/" when it has no other). */
    static String defaultPath(String requestPath) {
        String p = pathOnly(requestPath);
        if (p.isEmpty() || p.charAt(0) != '/') {
            return "/";
        }
        int last = p.lastIndexOf('/');
        return last == 0 ? "/" : p.substring(0, last);
    }

    private static String pathOnly(String requestTarget) {
        int q = requestTarget.indexOf('?');
        String p = q < 0 ? requestTarget : requestTarget.substring(0, q);
        return p.isEmpty() ? "/" : p;
    }
}
