package dev.loadleak.engine.cookies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The cookie jar against RFC 6265's rules, case by case, on a fake clock. */
class CookieJarTest {
    private static final long S = 1_000_000_000L;

    /**
     * One Set-Cookie from {@code from} (host and request path), then the Cookie header for a
     * request to {@code to} over http or https; "-" for none.
     */
    @ParameterizedTest(name = "[{index}] {0} from {1}{2} -> {3}{4} https={5}: {6}")
    @CsvSource(delimiter = '|', value = {
        // host-only: no Domain attribute
        "a=1                          | api.example.com | /     | api.example.com | /     | false | a=1",
        "a=1                          | api.example.com | /     | www.example.com | /     | false | -",
        "a=1                          | api.example.com | /     | sub.api.example.com | / | false | -",
        // Domain: the host and its subdomains; a leading dot is ignored; case-insensitive
        "a=1; Domain=example.com      | api.example.com | /     | www.example.com | /     | false | a=1",
        "a=1; Domain=.example.com     | api.example.com | /     | example.com     | /     | false | a=1",
        "a=1; Domain=EXAMPLE.com      | api.example.com | /     | x.example.com   | /     | false | a=1",
        // a domain the host does not match is refused
        "a=1; Domain=other.com        | api.example.com | /     | other.com       | /     | false | -",
        "a=1; Domain=api.example.com  | example.com     | /     | api.example.com | /     | false | -",
        "a=1; Domain=ample.com        | example.com     | /     | example.com     | /     | false | -",
        // an IP address matches only itself
        "a=1; Domain=0.0.1            | 127.0.0.1       | /     | 127.0.0.1       | /     | false | -",
        "a=1                          | 127.0.0.1       | /     | 127.0.0.1       | /x    | false | a=1",
        // Path attribute: prefix on a / boundary
        "a=1; Path=/api               | h               | /     | h               | /api  | false | a=1",
        "a=1; Path=/api               | h               | /     | h               | /api/v1 | false | a=1",
        "a=1; Path=/api               | h               | /     | h               | /apiv1 | false | -",
        "a=1; Path=/api/              | h               | /     | h               | /api/x | false | a=1",
        "a=1; Path=/api               | h               | /     | h               | /     | false | -",
        "a=1; Path=/api               | h               | /     | h               | /api?q=1 | false | a=1",
        // default path: the request's directory
        "a=1                          | h               | /api/v1/login | h       | /api/v1/x | false | a=1",
        "a=1                          | h               | /api/v1/login | h       | /api/x    | false | -",
        "a=1                          | h               | /login  | h             | /other    | false | a=1",
        "a=1; Path=relative           | h               | /a/b    | h             | /a/c      | false | a=1",
        // Secure: only over https
        "a=1; Secure                  | h               | /     | h               | /     | false | -",
        "a=1; Secure                  | h               | /     | h               | /     | true  | a=1",
        // Max-Age and Expires
        "a=1; Max-Age=0               | h               | /     | h               | /     | false | -",
        "a=1; Max-Age=-5              | h               | /     | h               | /     | false | -",
        "a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT | h | /     | h               | /     | false | -",
        "a=1; Max-Age=60; Expires=Wed, 21 Oct 2015 07:28:00 GMT | h | / | h       | /     | false | a=1",
        "a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT | h | /     | h               | /     | false | a=1",
        // attributes the jar does not act on are accepted
        "a=1; HttpOnly; SameSite=Strict | h             | /     | h               | /     | false | a=1",
    })
    void rfc6265(String setCookie, String fromHost, String fromPath, String toHost, String toPath, boolean https,
                 String expected) {
        CookieJar jar = new CookieJar();
        jar.store(setCookie, fromHost, fromPath, 0);
        String header = jar.header(toHost, toPath, https, 1);
        assertEquals("-".equals(expected) ? null : expected, header);
    }

    @Test
    void maxAgeExpiresOnTheClock() {
        CookieJar jar = new CookieJar();
        jar.store("s=1; Max-Age=10", "h", "/", 100 * S);
        assertEquals("s=1", jar.header("h", "/", false, 109 * S));
        assertNull(jar.header("h", "/", false, 110 * S), "gone at 10 s");
        assertEquals(0, jar.size(), "and dropped");
    }

    @Test
    void aSecondSetCookieReplacesTheValueAndMaxAgeZeroDeletes() {
        CookieJar jar = new CookieJar();
        jar.store("sid=old", "h", "/", 0);
        jar.store("sid=new", "h", "/", 0);
        assertEquals("sid=new", jar.header("h", "/", false, 0));
        assertEquals(1, jar.size());
        jar.store("sid=; Max-Age=0", "h", "/", 0);
        assertNull(jar.header("h", "/", false, 0));
        // same name, other path: another cookie
        jar.store("k=root", "h", "/", 0);
        jar.store("k=api; Path=/api", "h", "/", 0);
        assertEquals("k=api; k=root", jar.header("h", "/api/x", false, 0), "longer paths first");
    }

    @Test
    void cookiesGoOutInOneHeaderLongerPathFirstThenOldestFirst() {
        CookieJar jar = new CookieJar();
        jar.store("b=2", "h", "/", 0);
        jar.store("a=1", "h", "/", 0);
        jar.store("c=3; Path=/x", "h", "/", 0);
        assertEquals("c=3; b=2; a=1", jar.header("h", "/x/y", false, 0));
        assertEquals("b=2; a=1", jar.header("h", "/y", false, 0));
    }

    @Test
    void theHeaderIsBuiltOnceUntilACookieChangesOrExpires() {
        CookieJar jar = new CookieJar();
        jar.store("a=1; Max-Age=100", "h", "/", 0);
        String first = jar.header("h", "/x", false, S);
        assertSame(first, jar.header("h", "/x", false, 2 * S), "the same String: no garbage per request");
        assertEquals("a=1", jar.header("h", "/y", false, 2 * S));
        jar.store("b=2", "h", "/", 3 * S);
        assertEquals("a=1; b=2", jar.header("h", "/x", false, 3 * S));
        assertEquals("b=2", jar.header("h", "/x", false, 100 * S), "a expired at 100 s");
        assertNull(jar.header("other", "/x", false, 100 * S), "another host gets none (a new header, not the cached one)");
    }

    @Test
    void unparsableHeadersAreIgnored() {
        CookieJar jar = new CookieJar();
        jar.store("", "h", "/", 0);
        jar.store("=novalue", "h", "/", 0);
        jar.store("; Path=/", "h", "/", 0);
        assertEquals(0, jar.size());
        assertNull(jar.header("h", "/", false, 0));
    }
}
