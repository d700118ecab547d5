package dev.loadleak.run;

import dev.loadleak.report.HlogWriter;
import dev.loadleak.report.Reports;
import dev.loadleak.result.RunResult;
import dev.loadleak.scenario.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a run's files go: the output directory, checked before any load, and the result written at the end. */
public final class ResultWriter {
    private static final DateTimeFormatter DIR_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private ResultWriter() {
    }

    /** {@code loadleak-results/<UTC time>}: where a run writes when no directory is given. */
    public static Path defaultOutDir(Instant now) {
        return Path.of("loadleak-results", DIR_NAME.format(now));
    }

    /** Creates the output directory and proves it is writable before any load is sent; returns result.json's path. */
    static Path prepare(Path outDir) {
        try {
            Files.createDirectories(outDir);
            Path probe = Files.createTempFile(outDir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new RunFailure(RunFailure.Kind.BAD_OUTPUT, "cannot write results to " + outDir + ": "
                    + e.getClass().getSimpleName() + " " + e.getMessage() + "; choose another --out directory");
        }
        return outDir.resolve("result.json");
    }

    /**
     * Writes result.json and the reports, each on its own: one failure (disk full, say) does not
     * stop the others. Returns each file that could not be written, with why.
     */
    static Map<Path, String> write(RunResult result, Path resultFile, Redactor redactor, HlogWriter hlog) {
        Path dir = resultFile.getParent();
        Map<Path, String> failed = new LinkedHashMap<>(Reports.saveAll(result, resultFile, dir, redactor));
        if (hlog != null && hlog.failed() != null) {
            failed.put(dir.resolve("latency-*.hlog"), hlog.failed());
        }
        return failed;
    }
}
