package dev.loadleak.serve;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What tells a request of the dashboard or a client from one a web page forged. A page the
 * operator opens can send a "simple" cross-origin request without asking first (a POST of
 * {@code text/plain}, a form), and a page on a rebinding domain reaches 127.0.0.1 under its own
 * name. So, while serving:
 * <ul>
 *   <li>the {@code Host} must be this server's: an IP literal, {@code localhost}, the name it was
 *   bound to, or one given with {@code --public-name} (else 421: a rebinding page names its own
 *   domain);</li>
 *   <li>a request carrying an {@code Origin} must come from this server's own origin (else 403);</li>
 *   <li>a POST must carry a type no page can send without a CORS preflight — {@code application/yaml},
 *   {@code application/x-yaml}, {@code text/yaml} or {@code application/json} — or the header
 *   {@value #CLIENT_HEADER} (else 415). The service answers no preflight with
 *   {@code Access-Control-Allow-Origin}, so a page's preflight fails. A DELETE always needs one.</li>
 * </ul>
 */
final class ForgeryChecks {
    /** A header the dashboard sets; a page cannot set it cross-origin without a preflight. */
    static final String CLIENT_HEADER = "X-Loadleak-Client";
    static final Set<String> SCENARIO_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml",
            "application/json");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** The answer to a refused request: its status and the reason. */
    record Refusal(int status, String reason) {
    }

    private ForgeryChecks() {
    }

    /** The host name of a {@code Host} header (no port, lower case, no trailing dot; an IPv6 literal keeps its brackets). */
    static String hostName(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.lastIndexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /**
     * Null when the request may go on, else why not.
     *
     * @param names       the names this server answers to besides IP literals and localhost
     * @param client      the {@value #CLIENT_HEADER} header, or null
     */
    static Refusal check(String method, String host, String origin, String contentType, String client, Set<String> names) {
        if (host != null) {
            String name = hostName(host);
            boolean literal = IPV4.matcher(name).matches() || name.startsWith("[");
            if (!literal && !name.equals("localhost") && !names.contains(name)) {
                return new Refusal(421, "this server does not answer to the name \"" + name + "\" (a page on another "
                        + "domain can point that name at 127.0.0.1); start it with --public-name " + name
                        + " if that is its name");
            }
        }
        if (origin != null && (host == null || !sameAuthority(origin, host))) {
            return new Refusal(403, "a request from the page at " + origin + " is refused: only this server's own "
                    + "dashboard and clients without an Origin may call it");
        }
        if (method.equals("POST") && client == null && !SCENARIO_TYPES.contains(essence(contentType))) {
            return new Refusal(415, "send the scenario as Content-Type: application/yaml (or application/json), e.g. "
                    + "curl -H 'Content-Type: application/yaml' --data-binary @scenario.yaml; a form or text/plain "
                    + "body is what any web page can send here");
        }
        return null;
    }

    /** The media type without parameters, lower case; "" when absent. */
    static String essence(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Whether an {@code Origin} (scheme://host[:port]) names the authority of the {@code Host} header. */
    static boolean sameAuthority(String origin, String host) {
        try {
            URI o = new URI(origin.trim());
            if (o.getRawAuthority() == null || o.getScheme() == null) {
                return false;
            }
            return o.getRawAuthority().equalsIgnoreCase(host.trim())
                    || o.getPort() < 0 && hostName(host).equals(hostName(o.getRawAuthority())) && defaultPort(o, host);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** An origin without a port matches a Host with the scheme's default port (or none). */
    private static boolean defaultPort(URI origin, String host) {
        String h = host.trim();
        int colon = h.lastIndexOf(':');
        if (colon < 0 || h.endsWith("]")) {
            return true;
        }
        String port = h.substring(colon + 1);
        return port.equals("https".equalsIgnoreCase(origin.getScheme()) ? "443" : "80");
    }
}
