package dev.loadleak.cli;

import dev.loadleak.analysis.LeakDetector;
import dev.loadleak.metrics.SeriesFiles;
import dev.loadleak.report.ConsoleSummary;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.scenario.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak leak FILE}: the leak verdict for a memory series from monitoring data, no load sent. */
@Command(name = "leak", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak leak heap.csv --post-gc", "  loadleak leak prometheus-range.json --warmup 10m --threshold 20MB/h"},
        description = "Analyse a memory series from monitoring data for a leak (a CSV of time,bytes, or the JSON of a "
                + "Prometheus range query). Exit 1 on LEAK, 0 otherwise.")
public class LeakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "FILE", description = "CSV (time,bytes) or Prometheus range-query JSON.")
    Path file;
    @Option(names = "--post-gc", description = "The values already are post-GC (e.g. jvm_gc_live_data_size_bytes).")
    boolean postGc;
    @Option(names = "--warmup", defaultValue = "20%",
            description = "Excluded start: a share (20%%) or a duration (5m). Default ${DEFAULT-VALUE}.")
    String warmup;
    @Option(names = "--threshold", defaultValue = "5MB/h", description = "Growth above this can be a LEAK (default ${DEFAULT-VALUE}).")
    String threshold;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<SeriesFiles.Named> series;
        try {
            series = SeriesFiles.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, e.getMessage());
        }
        double thresholdMb = parseThreshold(threshold);
        boolean anyLeak = false;
        for (SeriesFiles.Named s : series) {
            double span = s.seconds().length == 0 ? 0 : s.seconds()[s.seconds().length - 1];
            double from = warmupSeconds(warmup, span);
            LeakAnalysis a = LeakDetector.analyse(s.seconds(), s.values(), postGc, from, new double[0],
                    LeakDetector.Params.defaults().withThreshold(thresholdMb));
            double max = java.util.Arrays.stream(s.values()).max().orElse(0);
            out.printf(Locale.ROOT, "%s: %d samples over %s, max %.1f MB, analysed from %.0f s%n", s.name(),
                    s.values().length, Units.formatMicros(span * 1e6), max / LeakDetector.MB, from);
            out.printf(Locale.ROOT, "  %s: %s%n", a.verdict(), String.join("; ", a.reasons()));
            // no throughput is known here: what the growth means per sample interval
            double step = medianStep(s.seconds());
            MemorySeries.Retained per = a.growthCi95MBPerHour() == null || !(step > 0) ? null
                    : LeakDetector.retained(a.growthMBPerHour(), a.growthCi95MBPerHour(), 1 / step,
                            String.format(Locale.ROOT, "sample interval (%.3g s)", step));
            if (per != null) {
                out.printf(Locale.ROOT, "  %s%n", ConsoleSummary.retainedText(per));
            }
            anyLeak |= LeakFinding.LEAK.equals(a.verdict());
        }
        out.flush();
        return anyLeak ? ExitCodes.CRITERIA_FAILED : ExitCodes.OK;
    }

    static double medianStep(double[] t) {
        if (t.length < 2) {
            return 0;
        }
        double[] d = new double[t.length - 1];
        for (int i = 1; i < t.length; i++) {
            d[i - 1] = t[i] - t[i - 1];
        }
        java.util.Arrays.sort(d);
        return d[d.length / 2];
    }

    private double parseThreshold(String text) {
        String t = text.trim();
        String unit = t.replaceAll("^[0-9.]+\\s*", "");
        try {
            double v = Double.parseDouble(t.substring(0, t.length() - unit.length()).trim());
            return thresholdIn(v, unit);
        } catch (RuntimeException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--threshold \"" + text + "\" is not a growth rate; write e.g. 5MB/h");
        }
    }

    private static double thresholdIn(double v, String unit) {
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "kb/h": return v / 1024;
            case "mb/h": return v;
            case "gb/h": return v * 1024;
            default: throw new IllegalArgumentException(unit);
        }
    }

    private double warmupSeconds(String text, double span) {
        String t = text.trim();
        try {
            if (t.endsWith("%")) {
                double share = Double.parseDouble(t.substring(0, t.length() - 1)) / 100;
                if (share < 0 || share >= 0.9) {
                    throw new IllegalArgumentException();
                }
                return share * span;
            }
            return Units.parseDurationNanos(t) / 1e9;
        } catch (RuntimeException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--warmup \"" + text + "\" is neither a share (20%) nor a duration (5m)");
        }
    }
}
