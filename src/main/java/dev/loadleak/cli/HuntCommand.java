package dev.loadleak.cli;

import dev.loadleak.analysis.HuntResult;
import dev.loadleak.report.HuntReport;
import dev.loadleak.report.JsonResult;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.run.Hunt;
import dev.loadleak.run.LiveSnapshot;
import dev.loadleak.run.ResultWriter;
import dev.loadleak.run.RunFailure;
import dev.loadleak.run.RunListener;
import dev.loadleak.scenario.Scenario;
import dev.loadleak.scenario.Units;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak hunt SCENARIO}: which endpoint leaks, each request alone, ranked by bytes retained per request. */
@Command(name = "hunt", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak hunt scenarios/medianest-staging.yaml --segment 3m",
            "  loadleak hunt scenarios/demo.yaml --target http://127.0.0.1:8080 --rate 200/s --segment 30s"},
        description = {"Which endpoint leaks: run each request of a scenario alone, at the scenario's rate (or --rate), "
            + "for a segment each, and rank them by the bytes the target retains per request, with intervals and a "
            + "verdict per request.",
            "The scenario needs a memory: block. Writes result.json, report.html and summary.md to --out, and each "
                + "segment's own result under segments/."})
public class HuntCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Inject
    Vertx vertx;
    @Parameters(paramLabel = "SCENARIO", description = "Scenario file (YAML or JSON) with a memory: block.")
    Path scenarioFile;
    @Mixin
    ScenarioOptions scenarioOptions;
    @Option(names = "--segment", defaultValue = "60s", description = "Each request's scored segment (default ${DEFAULT-VALUE}).")
    String segment;
    @Option(names = "--warmup", defaultValue = "5s", description = "Each segment's warm-up, not analysed (default ${DEFAULT-VALUE}).")
    String warmup;
    @Option(names = "--settle", defaultValue = "5s", description = "Pause between segments for the floor to settle (default ${DEFAULT-VALUE}).")
    String settle;
    @Option(names = "--rate", description = "The rate of every segment, in iterations per second with flows (default: the scenario's "
            + "highest open rate).")
    String rate;
    @Option(names = "--out", paramLabel = "DIR", description = "Directory for the results (default loadleak-results/<UTC time>-hunt).")
    Path out;
    @Option(names = {"-q", "--quiet"}, description = "No live progress lines.")
    boolean quiet;
    @Option(names = "--event-loops", paramLabel = "N", description = "Event loops that send (default: one per core, half the cores "
            + "when the target is on this machine).")
    int eventLoops;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario s = RunCommand.load(scenarioFile, scenarioOptions.loaderOptions(), err);
        if (s.memory() == null) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, scenarioFile + " has no memory: block: hunt reads the "
                    + "target's memory to tell which request leaks");
        }
        double perSecond = rate != null ? parse(() -> Units.parseRatePerSecond(rate), "--rate") : s.peakOpenRate();
        if (!(perSecond > 0)) {
            throw new ParameterException(spec.commandLine(), "the scenario has no open-model rate: give --rate, e.g. 200/s");
        }
        long segmentNanos = parse(() -> Units.parseDurationNanos(segment), "--segment");
        if (segmentNanos < 25_000_000_000L) {
            throw new ParameterException(spec.commandLine(), "--segment must be at least 25s: the leak analysis needs "
                    + "20 s of samples in each segment");
        }
        Path dir = out != null ? out : Path.of(ResultWriter.defaultOutDir(Instant.now()) + "-hunt");
        Hunt.Settings st = new Hunt.Settings(dir, VersionProvider.version(), Math.max(0, eventLoops), perSecond,
                segmentNanos,
                parse(() -> Units.parseDurationNanos(warmup), "--warmup"),
                parse(() -> Units.parseDurationNanos(settle), "--settle"), ExitCodes.INTERRUPTED);
        RunListener live = progress(new Terminal(err));
        HuntResult h;
        try {
            h = Hunt.run(s, st, vertx, line -> {
                err.println(line);
                err.flush();
            }, live);
        } catch (RunFailure f) {
            throw new LoadleakException(ExitCodes.of(f.kind()), f.getMessage());
        }
        o.print(s.redactor().redact(HuntReport.text(h)));
        try {
            JsonResult.writeAny(h, dir.resolve("result.json"), s.redactor());
            Files.writeString(dir.resolve("report.html"), s.redactor().redact(HuntReport.html(h)), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("summary.md"), s.redactor().redact(HuntReport.markdown(h)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "cannot write the hunt's results to " + dir + ": "
                    + e.getMessage());
        }
        o.println("result: " + dir.resolve("result.json") + " (and report.html, summary.md; segments/ has each one's)");
        o.flush();
        return h.ranking().stream().anyMatch(x -> x.verdict() == LeakFinding.LEAK) ? ExitCodes.CRITERIA_FAILED : ExitCodes.OK;
    }

    private <T> T parse(java.util.function.Supplier<T> f, String option) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** Each segment's progress line (none with --quiet). */
    private RunListener progress(Terminal term) {
        return new RunListener() {
            @Override
            public void live(LiveSnapshot now) {
                if (!quiet) {
                    term.progress(now);
                }
            }

            @Override
            public void loadEnded() {
                term.endProgress();
            }
        };
    }
}
