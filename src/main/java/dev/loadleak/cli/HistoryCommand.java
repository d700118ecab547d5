package dev.loadleak.cli;

import dev.loadleak.history.HistoryCheck;
import dev.loadleak.history.HistoryStore;
import dev.loadleak.history.TrendTable;
import dev.loadleak.report.Durable;
import dev.loadleak.result.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak history add|list|show|check|trend}: a history of runs in one SQLite file, and its change points. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "A history of runs in one SQLite file (CI caches it between builds): record results, list them, "
                + "find change points (E-Divisive means, t-test), print a metric's trend.",
        subcommands = {HistoryCommand.Add.class, HistoryCommand.ListRuns.class, HistoryCommand.Show.class,
            HistoryCommand.Check.class, HistoryCommand.Trend.class})
public class HistoryCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static HistoryStore open(Path file, boolean mustExist) {
        if (mustExist && !Files.exists(file)) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, file + ": no such history file");
        }
        try {
            return HistoryStore.open(file);
        } catch (SQLException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, file + ": not a loadleak history (" + e.getMessage() + ")");
        }
    }

    /** {@code --label k=v} and the CI variables that are set: what a recorded run is labelled with. */
    static Map<String, String> labels(Map<String, String> given, Function<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : HistoryStore.CI_LABELS) {
            String v = env.apply(k);
            if (v != null && !v.isBlank()) {
                out.put(k, v.trim());
            }
        }
        if (given != null) {
            out.putAll(given);
        }
        return out;
    }

    /** Records a finished run in {@code file}; a line for the console. */
    static String record(Path file, RunResult r, Map<String, String> labels, String scenarioText) {
        try (HistoryStore h = open(file, false)) {
            boolean added = h.add(r, labels, scenarioText);
            return added ? "history: recorded in " + file + " (" + h.runs(r.provenance().scenario().name()).size() + " runs of "
                    + r.provenance().scenario().name() + ")" : "history: already in " + file;
        } catch (SQLException e) {
            throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "history " + file + ": " + e.getMessage());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Record saved results (result.json) in FILE.")
    static class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE", description = "The history file (created if missing).")
        Path file;
        @Parameters(index = "1..*", paramLabel = "RESULT", arity = "1..*", description = "result.json files, oldest first.")
        List<Path> results;
        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label for these runs (commit=…, branch=…).")
        Map<String, String> labels;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> l = labels(labels, System::getenv);
            for (Path p : results) {
                out.println(p + ": " + record(file, ScoreCommand.readResult(p), l, null));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The runs in FILE, oldest first.")
    static class ListRuns implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--scenario", paramLabel = "NAME", description = "Only this scenario's runs.")
        String scenario;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
            try (HistoryStore h = open(file, true)) {
                List<HistoryStore.Run> runs = h.runs(scenario);
                out.printf(Locale.ROOT, "%-4s %-30s %-20s %-14s %5s %5s %s%n", "#", "started", "scenario", "verdict", "score",
                        "p95", "labels");
                int i = 0;
                for (HistoryStore.Run r : runs) {
                    double p95 = h.series(List.of(r), "overall", "p95")[0];
                    out.printf(Locale.ROOT, "%-4d %-30s %-20s %-14s %5s %5s %s%n", ++i, r.startedAt(), r.scenario(),
                            r.verdict(), r.score() == null ? "-" : r.score(), Double.isNaN(p95) ? "-" : ms(p95),
                            r.labels());
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One run of FILE: its labels and every figure recorded (overall, per request, per memory source).")
    static class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Parameters(index = "1", paramLabel = "RUN", description = "The run's number in 'history list' (1 is the oldest; "
                + "-1 the newest).")
        int run;
        @Option(names = "--scenario", paramLabel = "NAME", description = "Number the runs of this scenario only.")
        String scenario;

        @Override
        public Integer call() throws SQLException {
            PrintWriter out = spec.commandLine().getOut();
            try (HistoryStore h = open(file, true)) {
                List<HistoryStore.Run> runs = h.runs(scenario);
                int i = run < 0 ? runs.size() + run : run - 1;
                if (i < 0 || i >= runs.size()) {
                    throw new LoadleakException(ExitCodes.INVALID_INPUT, "RUN " + run + ": " + file + " has " + runs.size()
                            + " run(s)" + (scenario == null ? "" : " of " + scenario) + "; use 1.." + runs.size()
                            + " or -1 for the newest");
                }
                HistoryStore.Run r = runs.get(i);
                out.printf(Locale.ROOT, "run %d of %d: %s at %s, %s%s%n", i + 1, runs.size(), r.scenario(), r.startedAt(),
                        r.verdict() == null ? "no verdict" : r.verdict(), r.score() == null ? "" : " (score " + r.score() + ")");
                r.labels().forEach((k, v) -> out.printf(Locale.ROOT, "  label %s = %s%n", k, v));
                for (Map.Entry<String, Map<String, Double>> scope : h.metrics(r.id()).entrySet()) {
                    out.println(scope.getKey() + ":");
                    scope.getValue().forEach((m, v) -> out.printf(Locale.ROOT, "  %-20s %s%n", m, figure(m, v)));
                }
                List<String> kept = h.histogramScopes(r.id());
                if (!kept.isEmpty()) {
                    out.println("encoded histograms (percentiles recomputable exactly): " + String.join(", ", kept));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }

        private static String figure(String metric, double v) {
            return switch (metric) {
                case "p50", "p95", "p99" -> ms(v);
                case "throughput" -> String.format(Locale.ROOT, "%.1f/s", v);
                case "error_rate" -> String.format(Locale.ROOT, "%.2f %%", v * 100);
                case "memory_growth", "memory_growth_low", "memory_growth_high" -> String.format(Locale.ROOT, "%.1f MB/h", v);
                case "leak" -> v == 1 ? "LEAK" : v == 0 ? "NO_LEAK" : "INCONCLUSIVE";
                default -> v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                        : String.format(Locale.ROOT, "%.4g", v);
            };
        }
    }

    static String ms(double micros) {
        return String.format(Locale.ROOT, micros >= 10_000 ? "%.0fms" : "%.1fms", micros / 1000);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Change points of each scenario's metrics over its runs (E-Divisive means, t-test p < 0.001, at "
                    + "least 3 runs on each side); exit 1 when the newest run comes after a regression still in force.")
    static class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--scenario", paramLabel = "NAME", description = "Only this scenario (default: every one).")
        String scenario;
        @Option(names = "--metrics", split = ",", paramLabel = "METRIC",
                description = "Of p50, p95, p99, throughput, error_rate, memory_growth (default p95,p99,throughput,"
                        + "error_rate,memory_growth).")
        List<String> metrics = new ArrayList<>(HistoryCheck.DEFAULT_METRICS);
        @Option(names = "--request", paramLabel = "NAME", description = "A request's figures instead of the overall ones.")
        String request;
        @Option(names = "--min-change", paramLabel = "PERCENT", defaultValue = "5",
                description = "Changes smaller than this share of the level before are not reported, however "
                        + "significant (default ${DEFAULT-VALUE} %%; error_rate: 1 point).")
        double minChange;

        @Override
        public Integer call() throws SQLException {
            for (String m : metrics) {
                if (!List.of("p50", "p95", "p99", "throughput", "error_rate", "memory_growth").contains(m)) {
                    throw new LoadleakException(ExitCodes.INVALID_INPUT, "--metrics " + m + ": not a metric; use p50, p95, "
                            + "p99, throughput, error_rate or memory_growth");
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean regressed = false;
            StringBuilder md = new StringBuilder("### loadleak history check\n\n");
            try (HistoryStore h = open(file, true)) {
                List<String> scenarios = scenario == null ? h.scenarios() : List.of(scenario);
                for (String s : scenarios) {
                    HistoryCheck.Report r = HistoryCheck.check(h, s, metrics, request, minChange / 100);
                    if (r.tooLittle() != null) {
                        err.println("warning: " + r.tooLittle());
                        continue;
                    }
                    out.printf(Locale.ROOT, "%s: %d runs, %d change point(s)%n", s, r.runs(), r.changes().size());
                    md.append(String.format(Locale.ROOT, "**%s**: %d runs, %d change point(s)%n%n", s, r.runs(),
                            r.changes().size()));
                    for (HistoryCheck.Found f : r.changes()) {
                        out.println("  " + f.describe());
                        md.append("- ").append(f.inForce() ? "❌ " : f.worse() ? "⚠️ " : "✅ ").append(f.describe())
                                .append('\n');
                        if (f.inForce()) {
                            CiSummary.annotate(out, true, "loadleak history: regression", f.describe());
                        }
                    }
                    md.append('\n');
                    regressed |= r.regressed();
                }
            }
            String verdict = regressed ? "verdict: the newest run comes after a regression still in force (exit 1)"
                    : "verdict: no regression in force";
            out.println(verdict);
            CiSummary.append(md.append(verdict).append('\n').toString(), err);
            out.flush();
            err.flush();
            return regressed ? ExitCodes.CRITERIA_FAILED : ExitCodes.OK;
        }
    }

    @Command(name = "trend", mixinStandardHelpOptions = true, description = "One metric of a scenario across its runs, "
            + "with its change points marked.")
    static class Trend implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;
        @Option(names = "--scenario", required = true, paramLabel = "NAME")
        String scenario;
        @Option(names = "--metric", defaultValue = "p95", description = "Default ${DEFAULT-VALUE}.")
        String metric;
        @Option(names = "--request", paramLabel = "NAME")
        String request;
        @Option(names = {"-f", "--format"}, defaultValue = "text",
                description = "text, md, csv (the --metric), or html (a chart per metric; default ${DEFAULT-VALUE}).")
        String format;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of the standard output.")
        Path output;

        @Override
        public Integer call() throws SQLException, IOException {
            if (!List.of("text", "md", "csv", "html").contains(format)) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "--format must be text, md, csv or html");
            }
            String text;
            try (HistoryStore h = open(file, true)) {
                List<HistoryStore.Run> runs = h.runs(scenario);
                if (runs.isEmpty()) {
                    throw new LoadleakException(ExitCodes.INVALID_INPUT, "no runs of " + scenario + " in " + file);
                }
                text = format.equals("html") ? TrendTable.html(h, scenario, runs, metric, request)
                        : TrendTable.render(runs, h.series(runs, HistoryCheck.scope(h, runs, metric, request), metric),
                                HistoryCheck.check(h, scenario, List.of(metric), request), metric, format);
            }
            if (output != null) {
                Durable.write(output, text.getBytes(StandardCharsets.UTF_8));
                spec.commandLine().getOut().println("trend: " + output);
            } else {
                spec.commandLine().getOut().print(text);
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }
}
