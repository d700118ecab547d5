package dev.loadleak.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.analysis.RunResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The HTML report in a real browser: headless Chromium (Debian package {@code chromium}, which
 * .ci/run installs) renders it to a screenshot that must not be blank, with no console error.
 * Skipped only where Chromium is not installed.
 */
class ReportInBrowserTest {
    private static Path chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    @Test
    void rendersWithoutErrors() throws Exception {
        Path chrome = chromium();
        Assumptions.assumeTrue(chrome != null, "chromium is not installed (apt-get install chromium)");
        RunResult r = ReportsTest.scored();
        Path dir = Files.createTempDirectory("report");
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render(r));
        Path png = dir.resolve("shot.png");
        Path profile = Files.createTempDirectory("chrome-profile");
        Process p = new ProcessBuilder(chrome.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
                "--window-size=1100,2400", "--screenshot=" + png, html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        // output goes to a file, so that the bounded wait below really bounds the test
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = Files.readString(dir.resolve("chromium.log"));
        assertTrue(finished, "chromium did not finish within 60 s; it said:\n" + log);
        assertTrue(Files.exists(png), "no screenshot; chromium said:\n" + log);
        BufferedImage img = ImageIO.read(png.toFile());
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                colors.add(img.getRGB(x, y));
            }
        }
        assertTrue(colors.size() > 50, "the screenshot looks blank: " + colors.size() + " colours");
        boolean consoleError = log.lines().anyMatch(l -> l.contains("CONSOLE") && (l.contains("ERROR") || l.contains("Uncaught")));
        assertFalse(consoleError, "console errors:\n" + log);
        Files.copy(png, Path.of("target", "report-screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
