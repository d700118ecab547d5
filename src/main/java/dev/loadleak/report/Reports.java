package dev.loadleak.report;

import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.scenario.Redactor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/** Every output format, from one {@link RunResult}; secrets redacted on the way out. */
public final class Reports {
    /** The formats of {@code loadleak report}. */
    public static final List<String> FORMATS = List.of("html", "junit", "md", "csv", "hlog", "text", "json");

    private Reports() {
    }

    public static String render(RunResult r, String format) {
        switch (format.toLowerCase(Locale.ROOT)) {
            case "html": return HtmlReport.render(r);
            case "junit": return JunitReport.render(r);
            case "md": return MarkdownReport.render(r);
            case "csv": return CsvTimeline.render(r);
            case "hlog": return totalsHlog(r);
            case "json":
                try {
                    return JsonResult.toJson(r);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            case "text": {
                StringWriter w = new StringWriter();
                ConsoleSummary.render(r, new PrintWriter(w));
                return w.toString();
            }
            default:
                throw new IllegalArgumentException("unknown format " + format + "; one of " + FORMATS);
        }
    }

    /** The default file name of each format beside result.json. */
    public static String fileName(String format) {
        switch (format) {
            case "html": return "report.html";
            case "junit": return "junit.xml";
            case "md": return "summary.md";
            case "csv": return "timeline.csv";
            case "hlog": return "latency-totals.hlog";
            case "json": return "result.json";
            default: return "summary.txt";
        }
    }

    /**
     * Writes every report file it can: one that fails (disk full, say) does not stop the others.
     * Returns the files that could not be written, with why, in order.
     */
    public static Map<Path, String> writeEach(RunResult r, Path dir, Redactor redactor) {
        Map<Path, String> failed = new LinkedHashMap<>();
        for (String f : List.of("html", "junit", "md", "csv")) {
            Path file = dir.resolve(fileName(f));
            try {
                Files.writeString(file, redactor.redact(render(r, f)), StandardCharsets.UTF_8);
            } catch (IOException e) {
                failed.put(file, describe(e));
                try {
                    Files.deleteIfExists(file); // no truncated report left behind as if it were whole
                } catch (IOException ignored) {
                    // nothing more to do: the failure is reported
                }
            }
        }
        return failed;
    }

    /**
     * Writes {@code resultFile} (result.json) and every report beside it in {@code dir}, each on its
     * own: returns the files that could not be written, with why, in order (empty when all were).
     */
    public static Map<Path, String> saveAll(RunResult r, Path resultFile, Path dir, Redactor redactor) {
        Map<Path, String> failed = new LinkedHashMap<>();
        try {
            JsonResult.write(r, resultFile, redactor);
        } catch (IOException e) {
            failed.put(resultFile, describe(e));
        }
        failed.putAll(writeEach(r, dir, redactor));
        return failed;
    }

    /** "No space left on device" rather than a bare file name (NoSuchFileException's message is the path). */
    public static String describe(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            m = fse.getReason();
        }
        return e.getClass().getSimpleName().equals("IOException") ? m : e.getClass().getSimpleName() + ": " + m;
    }

    /**
     * A saved run keeps its totals, not each second's histogram, so its .hlog holds one interval
     * per total (corrected, then uncorrected, tagged). The per-second logs are written during the
     * run itself (latency-corrected.hlog, latency-uncorrected.hlog).
     */
    static String totalsHlog(RunResult r) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        HistogramLogWriter w = new HistogramLogWriter(out);
        long start = java.time.Instant.parse(r.provenance().startedAt()).toEpochMilli();
        w.outputComment("loadleak latency totals of " + r.provenance().scenario().name() + ", microseconds");
        w.outputLogFormatVersion();
        w.outputStartTime(start);
        w.setBaseTime(start);
        w.outputLegend();
        for (String kind : List.of("corrected", "uncorrected")) {
            Stats.Histograms hs = r.load().overall().histograms();
            Histogram h = Stats.decode(kind.equals("corrected") ? hs.corrected() : hs.uncorrected());
            h.setTag(kind);
            h.setStartTimeStamp(start);
            h.setEndTimeStamp(start + Math.round(r.load().durationSeconds() * 1000));
            w.outputIntervalHistogram(h);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
