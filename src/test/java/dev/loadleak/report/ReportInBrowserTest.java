package dev.loadleak.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.result.RunResult;
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
    @Test
    void rendersWithoutErrors() throws Exception {
        Path chrome = dev.loadleak.Chromium.require();
        RunResult r = ReportsTest.scored();
        Path dir = Files.createTempDirectory("report");
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render(r));
        Path png = dir.resolve("shot.png");
        String log = chrome(chrome, dir, "--hide-scrollbars", "--screenshot=" + png, html.toUri().toString())[1];
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

    /**
     * Runs headless Chromium with {@code args}, its output in files so that the bounded wait really
     * bounds the test; returns {stdout, log}.
     */
    private static String[] chrome(Path chrome, Path dir, String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> cmd = new java.util.ArrayList<>(List.of(chrome.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr",
                "--v=0", "--window-size=1100,2400"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path log = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String[] r = {Files.readString(out), Files.readString(log)};
        assertTrue(finished, "chromium did not finish within 60 s:\n" + r[1]);
        return r;
    }

    /**
     * Measured in the page: the phase labels' boxes never overlap (a short warm-up phase beside
     * longer ones), a hover over a chart shows a read-out of its points, and nothing logs an error.
     */
    @Test
    void phaseLabelsNeverOverlapAndHoverShowsTheValues() throws Exception {
        Path chrome = dev.loadleak.Chromium.require();
        RunResult base = ReportsTest.scored();
        RunResult r = base.toBuilder().scenario(new RunResult.ScenarioInfo("phases", "p.yaml", "http://127.0.0.1:1",
                List.of(new RunResult.PhaseInfo("warmup", 3, "constant 100/s", 100, true, "corrected"),
                        new RunResult.PhaseInfo("steady", 45, "constant 200/s", 200, false, "corrected"),
                        new RunResult.PhaseInfo("spike", 2, "constant 900/s", 900, false, "corrected"),
                        new RunResult.PhaseInfo("recovery", 2, "constant 200/s", 200, false, "corrected"),
                        new RunResult.PhaseInfo("cool-down", 8, "constant 50/s", 50, false, "corrected")),
                List.of("list"))).build();
        String harness = "<script>(function(){var out={labels:0,overlaps:[]};"
                + "document.querySelectorAll('svg').forEach(function(svg){var ls=svg.querySelectorAll('text.phase-label');"
                + "out.labels+=ls.length;for(var i=0;i<ls.length;i++)for(var j=i+1;j<ls.length;j++){"
                + "var a=ls[i].getBoundingClientRect(),b=ls[j].getBoundingClientRect();"
                + "if(a.left<b.right&&b.left<a.right&&a.top<b.bottom&&b.top<a.bottom)"
                + "out.overlaps.push(ls[i].textContent+' / '+ls[j].textContent);}});"
                + hoverThenReport("0.5");
        Path dir = Files.createTempDirectory("report-dom");
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render(r).replace("</body>", harness));
        String[] run = chrome(chrome, dir, "--dump-dom", html.toUri().toString());
        com.fasterxml.jackson.databind.JsonNode t = measured(run);
        String json = t.toString();
        assertTrue(t.path("labels").asInt() >= 10, "phase labels on every time chart: " + json);
        assertTrue(t.path("overlaps").isEmpty(), "overlapping phase labels: " + t.path("overlaps"));
        assertTrue(t.path("tip").asText().contains("completed/s: "), "a read-out on hover: " + json);
    }

    /** history trend --format html: a chart per metric, the change shaded with its label, values on hover, no error. */
    @Test
    void theTrendPageShowsEachChangeAndReadsOutOnHover() throws Exception {
        Path chrome = dev.loadleak.Chromium.require();
        int n = 14;
        double[] p95 = new double[n];
        double[] tput = new double[n];
        List<String> labels = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            p95[i] = (i < 10 ? 7800 : 10800) + (i % 3) * 50;
            tput[i] = i == 4 ? Double.NaN : 200 - i % 2;
            labels.add("c" + i);
        }
        String page = TrendPage.render("gate", labels, List.of(
                new TrendPage.Metric("p95", "µs", p95, List.of(new TrendPage.Mark(11, "+38 % (in force)", true))),
                new TrendPage.Metric("throughput", "req/s", tput, List.of())), "the newest run comes after a regression");
        String harness = "<script>(function(){var out={charts:document.querySelectorAll('svg.chart').length,"
                + "labels:[].map.call(document.querySelectorAll('text.phase-label'),function(t){return t.textContent;})};"
                + hoverThenReport("0.8");
        Path dir = Files.createTempDirectory("trend-dom");
        Path html = dir.resolve("trend.html");
        Files.writeString(html, page.replace("</body>", harness));
        String[] run = chrome(chrome, dir, "--dump-dom", html.toUri().toString());
        com.fasterxml.jackson.databind.JsonNode t = measured(run);
        assertTrue(t.path("charts").asInt() == 2, "a chart per metric: " + t);
        assertTrue(t.path("labels").toString().contains("+38 % (in force)"), "the change is marked: " + t);
        assertTrue(t.path("tip").asText().contains("p95: "), "a read-out on hover: " + t);
    }

    /** The end of a harness script: hover the first chart at this share of its width, then write {@code out} to the page. */
    private static String hoverThenReport(String share) {
        return "var svg=document.querySelector('svg.chart');var b=svg.getBoundingClientRect();"
                + "svg.dispatchEvent(new MouseEvent('mousemove',{clientX:b.left+b.width*" + share + ",clientY:b.top+b.height/2,"
                + "bubbles:true}));var tip=document.getElementById('tip');out.tip=tip.hidden?null:tip.textContent;"
                + "document.body.setAttribute('data-test',JSON.stringify(out));})();</script></body>";
    }

    /** What the harness measured in the dumped page; fails on a console error. */
    private static com.fasterxml.jackson.databind.JsonNode measured(String[] run) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-test=\"([^\"]*)\"").matcher(run[0]);
        assertTrue(m.find(), "the page's measurements are missing; chromium said:\n" + run[1]);
        boolean consoleError = run[1].lines().anyMatch(l -> l.contains("CONSOLE") && (l.contains("ERROR")
                || l.contains("Uncaught")) || l.contains("Uncaught"));
        assertFalse(consoleError, "console errors:\n" + run[1]);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.group(1).replace("&quot;", "\"")
                .replace("&amp;", "&"));
    }
}
