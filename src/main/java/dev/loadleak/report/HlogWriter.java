package dev.loadleak.report;

import dev.loadleak.metrics.Collector;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * HdrHistogram interval logs (.hlog), readable by HdrHistogram's {@code HistogramLogProcessor}:
 * one interval histogram a second, corrected and uncorrected in two files. Values are in
 * microseconds (pass {@code -outputValueUnitRatio 1000} to the processor for milliseconds).
 */
public final class HlogWriter implements Collector.IntervalListener, AutoCloseable {
    private final PrintStream correctedOut;
    private final PrintStream uncorrectedOut;
    private final HistogramLogWriter corrected;
    private final HistogramLogWriter uncorrected;
    private final long startMillis;

    public HlogWriter(Path correctedFile, Path uncorrectedFile, long startEpochMillis) throws FileNotFoundException {
        this.correctedOut = new PrintStream(correctedFile.toFile());
        this.uncorrectedOut = new PrintStream(uncorrectedFile.toFile());
        this.corrected = header(correctedOut, startEpochMillis, "corrected (from intended send time), microseconds");
        this.uncorrected = header(uncorrectedOut, startEpochMillis, "uncorrected (from actual send time), microseconds");
        this.startMillis = startEpochMillis;
    }

    private static HistogramLogWriter header(PrintStream out, long start, String what) {
        HistogramLogWriter w = new HistogramLogWriter(out);
        w.outputComment("loadleak latency, " + what);
        w.outputLogFormatVersion();
        w.outputStartTime(start);
        w.setBaseTime(start);
        w.outputLegend();
        return w;
    }

    @Override
    public synchronized void onInterval(double startSecond, double endSecond, Histogram c, Histogram u) {
        write(corrected, c, startSecond, endSecond);
        write(uncorrected, u, startSecond, endSecond);
    }

    private void write(HistogramLogWriter w, Histogram h, double s, double e) {
        Histogram copy = h.copy();
        copy.setStartTimeStamp(startMillis + Math.round(s * 1000));
        copy.setEndTimeStamp(startMillis + Math.round(e * 1000));
        w.outputIntervalHistogram(copy);
    }

    @Override
    public synchronized void close() {
        correctedOut.close();
        uncorrectedOut.close();
    }

    /**
     * Why the logs are incomplete (a PrintStream keeps write errors, such as a full disk, to itself
     * until asked), or null when every interval was written.
     */
    public synchronized String failed() {
        return correctedOut.checkError() || uncorrectedOut.checkError() ? "write error (disk full?); the .hlog files are incomplete"
                : null;
    }
}
