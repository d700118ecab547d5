package dev.loadleak.scenario;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
     * Null when a request written as a full URL ({@code path: https://…/${id}}) may be sent, else
     * why not. Its host must be written out (a variable there could lead anywhere); the rest, with
     * each variable read as one character, must match {@code --allow-target}.
     */
    public String requestUrlRefusal(String template) {
        if (!confined || allowTarget == null) {
            return null;
        }
        int authority = template.indexOf("://");
        int pathStart = authority < 0 ? -1 : template.indexOf('/', authority + 3);
        String head = pathStart < 0 ? template : template.substring(0, pathStart);
        if (head.contains("${")) {
            return template + ": a variable in the host could lead anywhere; with --allow-target, write the host out";
        }
        String probe = template.replaceAll("\\$\\{[^}]*}", "x");
        return allowTarget.matcher(probe).matches() ? null
                : template + " is not allowed by this server (--allow-target " + allowTarget.pattern() + ")";
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

    /** Null when load or scrapes may go to {@code url} (absolute), else why not. */
    public String targetRefusal(URI url) {
        if (!confined || allowTarget == null || url == null || !url.isAbsolute()) {
            return null;
        }
        if (allowTarget.matcher(url.toString()).matches()) {
            return null;
        }
        return url + " is not allowed by this server (--allow-target " + allowTarget.pattern() + ")";
    }
}
