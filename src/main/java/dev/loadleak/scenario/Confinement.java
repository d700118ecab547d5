package dev.loadleak.scenario;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a scenario may reach beyond the load it sends. A scenario from the command line may do
 * everything its user can ({@link #NONE}); one posted to {@code loadleak serve} comes from the
 * network, so it may not start programs or watch this machine's processes unless the server was
 * started with {@code --allow-launch}, read files unless {@code --files-dir} names a folder (and then
 * only inside it: no absolute path, no {@code ..}, no symbolic link that leads out), read
 * environment variables other than those {@code --allow-env} lists, or send anything to a URL that
 * {@code --allow-target} does not match.
 *
 * @param confined    false for the command line: nothing below applies
 * @param allowLaunch process memory sources ({@code launch}, {@code pid}, {@code pidfile}) and
 *                    {@code evidence: classHistogram} (which runs jcmd) are allowed
 * @param filesDir    the folder {@code bodyFile}, {@code multipart} files, {@code csv:} and
 *                    {@code pidfile} are read from, or null: no file may be read
 * @param allowEnv    the environment variables {@code ${env:…}} and {@code tokenEnv} may read
 * @param allowTarget when set, every URL load or scrapes go to (target, preflight, memory sources)
 *                    must match it whole
 */
public record Confinement(boolean confined, boolean allowLaunch, Path filesDir, Set<String> allowEnv,
                          Pattern allowTarget) {
    public static final Confinement NONE = new Confinement(false, true, null, Set.of(), null);

    public static Confinement server(boolean allowLaunch, Path filesDir, Set<String> allowEnv, Pattern allowTarget) {
        return new Confinement(true, allowLaunch, filesDir == null ? null : filesDir.toAbsolutePath().normalize(),
                Set.copyOf(allowEnv), allowTarget);
    }

    /**
     * The file a scenario names: relative to {@code baseDir} (the scenario's folder) on the command
     * line; when confined, relative to the files folder and inside it once every link is followed.
     *
     * @throws IllegalArgumentException why the file may not be read
     */
    public Path file(String name, Path baseDir) {
        if (!confined) {
            return baseDir.resolve(name).normalize();
        }
        if (filesDir == null) {
            throw new IllegalArgumentException("this server reads no files from a scenario; start it with --files-dir DIR "
                    + "to allow files inside DIR");
        }
        Path given = Path.of(name);
        if (given.isAbsolute() || name.startsWith("~")) {
            throw new IllegalArgumentException("\"" + name + "\" is not a path inside --files-dir; write it relative to "
                    + "that folder");
        }
        for (Path part : given) {
            if (part.toString().equals("..")) {
                throw new IllegalArgumentException("\"" + name + "\" leaves --files-dir (\"..\" is not allowed)");
            }
        }
        Path p = filesDir.resolve(given).normalize();
        if (!p.startsWith(filesDir)) {
            throw new IllegalArgumentException("\"" + name + "\" leaves --files-dir");
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Path real = p.toRealPath();
                if (!real.startsWith(filesDir.toRealPath())) {
                    throw new IllegalArgumentException("\"" + name + "\" is a link that leads out of --files-dir");
                }
                return real;
            } catch (IOException e) {
                throw new IllegalArgumentException("\"" + name + "\" cannot be read inside --files-dir ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        return p;
    }

    /**
     * Null when {@code ${env:NAME}} (or {@code tokenEnv: NAME}) may be read, else why not.
     */
    public String envRefusal(String name) {
        if (!confined || allowEnv.contains(name)) {
            return null;
        }
        return "this server does not let a scenario read the environment variable " + name
                + "; start it with --allow-env " + name + " to allow it";
    }

    /** Null when the scenario may run programs and watch local processes, else why not. */
    public String launchRefusal(String what) {
        if (!confined || allowLaunch) {
            return null;
        }
        return what + " is refused: this server does not run programs or watch its machine's processes for a scenario; "
                + "start it with --allow-launch to allow it";
    }

    /**
     * The URL a scenario value leads to: a path ({@code /x}) on the target's origin, whatever path
     * the target itself has, or the full URL as written. Never {@link URI#resolve}: it would take a
     * host from a value such as {@code //other/x}.
     */
    public static URI resolve(URI target, String url) {
        return URI.create(url.startsWith("/") ? target.getScheme() + "://" + target.getRawAuthority() + url : url);
    }

    /**
     * Throws unless {@code s} is a path on the target (one {@code /}, then anything but {@code /}
     * or a backslash) or a full http(s) URL: {@code //host/x} and {@code /\host} name another host
     * to a browser and to URI resolution.
     *
     * @throws IllegalArgumentException what is wrong and how to write it
     */
    public static void checkUrlShape(String s) {
        if (s.startsWith("//") || s.startsWith("/\\")) {
            throw new IllegalArgumentException("\"" + s + "\" names a host, not a path; a path on the target starts with "
                    + "a single /, and another host needs a full http(s) URL");
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (!s.startsWith("/") && !lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new IllegalArgumentException("\"" + s + "\" must start with / or be a full http(s) URL");
        }
    }

    /**
     * Null when a request written as a full URL ({@code path: https://…/${id}}) may be sent, else
     * why not. Its scheme and authority must be written out (a variable there could lead
     * anywhere); the URL, with each variable read as one character, must then pass
     * {@link #targetRefusal}.
     */
    public String requestUrlRefusal(String template) {
        if (!confined || allowTarget == null) {
            return null;
        }
        int authority = template.indexOf("://");
        int end = authority < 0 ? template.length() : authority + 3;
        while (end < template.length() && "/?#".indexOf(template.charAt(end)) < 0) {
            end++;
        }
        if (template.substring(0, end).contains("${")) {
            return template + ": a variable in the host could lead anywhere; with --allow-target, write the host out";
        }
        URI probe;
        try {
            probe = new URI(template.replaceAll("\\$\\{[^}]*}", "x"));
        } catch (URISyntaxException e) {
            return template + " is not a URL this server can check against --allow-target (" + e.getReason() + ")";
        }
        return targetRefusal(probe);
    }

    /**
     * Throws when load or scrapes may not go to {@code url} (see {@link #targetRefusal}).
     *
     * @throws IllegalArgumentException why not
     */
    public void requireTarget(URI url) {
        String why = targetRefusal(url);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }

    /**
     * Null when load or scrapes may go to {@code url}, else why not. The URL is checked as it was
     * parsed, not as written: an http(s) scheme, a host, no user information (which a reader takes
     * for the host: {@code http://allowed@other/}); then {@code --allow-target} must match its
     * origin whole, {@code scheme://host:port} with the port written out, or {@code scheme://host}
     * when the port is the scheme's default. The path is not matched: a loose expression such as
     * {@code .*\.example\.com.*} would otherwise pass {@code http://other/x.example.com}.
     */
    public String targetRefusal(URI url) {
        if (!confined || allowTarget == null || url == null) {
            return null;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return url + " is not an http(s) URL with a host; this server sends nothing else (--allow-target)";
        }
        if (url.getRawUserInfo() != null) {
            return url + ": user information before the host is refused by this server (--allow-target)";
        }
        if (url.getHost() == null || url.getRawAuthority() == null) {
            return url + " has no host this server can check (--allow-target); write http(s)://host[:port]/path";
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int port = url.getPort() < 0 ? defaultPort : url.getPort();
        String origin = scheme + "://" + host;
        if (allowTarget.matcher(origin + ":" + port).matches()
                || port == defaultPort && allowTarget.matcher(origin).matches()) {
            return null;
        }
        return url + " is not allowed by this server (--allow-target " + allowTarget.pattern() + " is matched against "
                + origin + ":" + port + ")";
    }
}
