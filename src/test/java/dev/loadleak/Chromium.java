package dev.loadleak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** The machine's headless Chromium (Debian's {@code chromium}, which .ci/run installs) for the browser tests. */
public final class Chromium {
    private Chromium() {
    }

    /** The browser's path; the calling test is skipped, saying why, where none is installed. */
    public static Path require() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        Assumptions.assumeTrue(false, "chromium is not installed (apt-get install chromium)");
        return null;
    }
}
