package dev.loadleak.cli;

import dev.loadleak.analysis.Merge;
import dev.loadleak.analysis.Scoring;
import dev.loadleak.report.ConsoleSummary;
import dev.loadleak.report.Reports;
import dev.loadleak.result.RunResult;
import dev.loadleak.run.ResultWriter;
import dev.loadleak.scenario.CriteriaParser;
import dev.loadleak.scenario.Criterion;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Redactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak merge DIR...}: the shards of one run ({@code --shard I/N}) combined and scored as one run. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak merge shard-0 shard-1 shard-2 --out merged"},
        description = {"Combine the results of the shards of one run (run --shard I/N) into the whole run's result:",
            "histograms added, counts summed, per-second timelines aligned by wall-clock second; then score it like "
                + "any run (exit 0 GO, 1 NO-GO)."})
public class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(arity = "1..*", paramLabel = "SHARD",
            description = "A shard's output directory (holding result.json and its .hlog files) or its result.json.")
    List<Path> shards;
    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the merged result.json and reports go (default loadleak-results/<UTC timestamp>-merged).")
    Path out;
    @Option(names = "--strict", description = "Exit 1 on CONDITIONAL GO too.")
    boolean strict;
    @Option(names = "--history", paramLabel = "FILE", description = "Record the merged run in the SQLite history FILE "
            + "(created if missing; see 'loadleak history'), labelled with --label and the CI's commit and build variables.")
    Path history;
    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label for --history (commit=…, branch=…); repeat.")
    Map<String, String> labels;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<Merge.ShardInput> inputs = new ArrayList<>();
        for (Path p : shards) {
            Path file = Files.isDirectory(p) ? p.resolve("result.json") : p;
            RunResult r = ScoreCommand.readResult(file);
            inputs.add(new Merge.ShardInput(file.toString(), r, seconds(file.resolveSibling("latency-corrected.hlog"))));
        }
        RunResult merged;
        try {
            merged = Merge.merge(inputs);
        } catch (Merge.MergeException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, e.getMessage());
        }
        RunResult scored = score(merged, inputs.get(0).result(), stderr);
        Path dir = out != null ? out : Path.of(ResultWriter.defaultOutDir(Instant.now()) + "-merged");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "cannot write results to " + dir + ": " + e.getMessage());
        }
        ConsoleSummary.render(scored, stdout);
        stdout.println("merged " + inputs.size() + " shards");
        Path resultFile = dir.resolve("result.json");
        Map<Path, String> failed = Reports.saveAll(scored, resultFile, dir, Redactor.NONE);
        failed.forEach((f, why) -> stderr.println("error: could not write " + f + ": " + why));
        if (failed.isEmpty()) {
            stdout.println("result: " + resultFile + " (and report.html, junit.xml, summary.md, timeline.csv)");
        }
        if (history != null) {
            // the merged run is the whole run: recorded once, as one run of its scenario (never the shards)
            try {
                stdout.println(HistoryCommand.record(history, scored, HistoryCommand.labels(labels, System::getenv), null));
            } catch (LoadleakException e) {
                stderr.println("error: " + e.getMessage());
            }
        }
        stdout.flush();
        stderr.flush();
        int code = ExitCodes.forVerdict(scored.scoring().verdict(), strict);
        return code == ExitCodes.OK && !failed.isEmpty() ? ExitCodes.COULD_NOT_RUN : code;
    }

    /** The scenario's criteria (as the shards recorded them) applied to the merged figures. */
    private static RunResult score(RunResult merged, RunResult anyShard, PrintWriter stderr) {
        CriteriaParser.Context ctx = ScoreCommand.context(merged);
        List<Criterion> criteria;
        try {
            criteria = ScoreCommand.saved(anyShard, ctx);
        } catch (InvalidScenarioException e) {
            throw Problems.report(e, "the criteria saved in the shards' results", stderr);
        }
        return Scoring.score(merged, criteria);
    }

    /** A shard's per-second corrected histograms by epoch millisecond, or null when its .hlog is not there. */
    static Map<Long, Histogram> seconds(Path hlog) {
        if (!Files.isRegularFile(hlog)) {
            return null;
        }
        Map<Long, Histogram> out = new HashMap<>();
        try {
            HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (h instanceof Histogram hist) {
                    out.merge(hist.getStartTimeStamp(), hist, (a, b) -> {
                        a.add(b);
                        return a;
                    });
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: the merge falls back to the shards' per-second figures, and says so
        }
    }
}
