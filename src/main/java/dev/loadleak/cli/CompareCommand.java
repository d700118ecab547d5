package dev.loadleak.cli;

import dev.loadleak.analysis.Comparison;
import dev.loadleak.report.ComparisonReport;
import dev.loadleak.result.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak compare BASELINE CURRENT}: exit 1 on a regression that is beyond tolerance and significant. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak compare baseline/result.json results/result.json", "  loadleak compare base.json cur.json --tolerance p95=5%%,throughput=3%% --format md -o compare.md"},
        description = "Compare a run with a baseline: deltas per metric and per request; exit 1 on a regression "
                + "(beyond tolerance and statistically significant), 0 otherwise.")
public class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "BASELINE", description = "The baseline result.json.")
    Path baseline;
    @Parameters(index = "1", paramLabel = "CURRENT", description = "The current result.json.")
    Path current;
    @Option(names = "--tolerance", paramLabel = "METRIC=VALUE", split = ",",
            description = "e.g. p95=10%%,throughput=5%%,error_rate=0.5,memory_growth=20 (the defaults).")
    Map<String, String> tolerances;
    @Option(names = {"-f", "--format"}, defaultValue = "text", description = "text, md or junit (default ${DEFAULT-VALUE}).")
    String format;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also write the comparison to FILE.")
    Path output;
    @Option(names = "--save-baseline", description = {"When there is no regression (or no baseline yet), copy CURRENT",
        "to BASELINE so the next run compares with it."})
    boolean saveBaseline;

    @Override
    public Integer call() {
        if (!java.util.List.of("text", "md", "junit").contains(format)) {
            throw new ParameterException(spec.commandLine(), "--format must be text, md or junit");
        }
        RunResult cur = ScoreCommand.readResult(current);
        if (!Files.exists(baseline) && saveBaseline) {
            copy();
            spec.commandLine().getOut().println("no baseline yet: saved " + current + " as " + baseline);
            return ExitCodes.OK;
        }
        RunResult base = ScoreCommand.readResult(baseline);
        Comparison.Result c = Comparison.compare(base, cur, tolerances());
        String text = ComparisonReport.render(c, format);
        spec.commandLine().getOut().print(text);
        if (output != null) {
            try {
                Files.writeString(output, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "cannot write " + output + ": " + e.getMessage());
            }
        }
        CiSummary.append(format.equals("md") ? text : ComparisonReport.render(c, "md"), spec.commandLine().getErr());
        for (String why : c.regression() ? c.reasons() : java.util.List.<String>of()) {
            CiSummary.annotate(spec.commandLine().getOut(), true, "loadleak compare: regression", why);
        }
        if (saveBaseline && !c.regression()) {
            copy();
            spec.commandLine().getOut().println("saved " + current + " as the new baseline " + baseline);
        }
        spec.commandLine().getOut().flush();
        return c.regression() ? ExitCodes.CRITERIA_FAILED : ExitCodes.OK;
    }

    private void copy() {
        try {
            Files.copy(current, baseline, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "cannot save the baseline " + baseline + ": " + e.getMessage());
        }
    }

    private Comparison.Tolerances tolerances() {
        Comparison.Tolerances d = Comparison.Tolerances.defaults();
        if (tolerances == null) {
            return d;
        }
        double lat = d.latencyPercent();
        double thr = d.throughputPercent();
        double err = d.errorRatePoints();
        double mem = d.memoryGrowthMBPerHour();
        for (Map.Entry<String, String> e : tolerances.entrySet()) {
            double v;
            try {
                v = Double.parseDouble(e.getValue().trim().toLowerCase(Locale.ROOT).replaceAll("(%|mb/h|points)$", ""));
            } catch (NumberFormatException ex) {
                throw new ParameterException(spec.commandLine(), "--tolerance " + e.getKey() + "=" + e.getValue()
                        + ": not a number");
            }
            switch (e.getKey().trim()) {
                case "p95": case "latency": lat = v; break;
                case "throughput": thr = v; break;
                case "error_rate": err = v; break;
                case "memory_growth": mem = v; break;
                default: throw new ParameterException(spec.commandLine(), "--tolerance " + e.getKey()
                        + ": one of p95, throughput, error_rate, memory_growth");
            }
        }
        return new Comparison.Tolerances(lat, thr, err, mem);
    }
}
