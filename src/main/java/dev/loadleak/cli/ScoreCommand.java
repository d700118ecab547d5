package dev.loadleak.cli;

import dev.loadleak.analysis.Scoring;
import dev.loadleak.report.ConsoleSummary;
import dev.loadleak.report.JsonResult;
import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.RunResult;
import dev.loadleak.scenario.CriteriaParser;
import dev.loadleak.scenario.Criterion;
import dev.loadleak.scenario.InvalidScenarioException;
import dev.loadleak.scenario.Problem;
import dev.loadleak.scenario.Redactor;
import dev.loadleak.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code loadleak score RESULT.json}: re-score a saved run, with its own criteria or others. */
@Command(name = "score", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak score results/result.json --criteria stricter.yaml", "  loadleak score results/result.json --strict --write"},
        description = "Re-score a saved result.json without re-running it (its own criteria, or --criteria FILE).")
public class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "RESULT", description = "A result.json written by loadleak run.")
    Path resultFile;
    @Option(names = "--criteria", paramLabel = "FILE", description = "A scenario or criteria file whose criteria: block to use.")
    Path criteriaFile;
    @Option(names = "--strict", description = "Exit 1 on CONDITIONAL GO too.")
    boolean strict;
    @Option(names = "--write", description = "Write the re-scored result back to RESULT.")
    boolean write;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunResult run = readResult(resultFile);
        CriteriaParser.Context ctx = context(run);
        List<Criterion> criteria;
        try {
            criteria = criteriaFile != null ? ScenarioLoader.loadCriteria(criteriaFile, ctx) : saved(run, ctx);
        } catch (InvalidScenarioException e) {
            throw Problems.report(e, criteriaFile != null ? criteriaFile.toString() : "the criteria saved in " + resultFile,
                    spec.commandLine().getErr());
        }
        RunResult rescored = Scoring.score(run, criteria);
        ConsoleSummary.render(rescored, out);
        if (write) {
            try {
                JsonResult.write(rescored, resultFile, Redactor.NONE);
            } catch (IOException e) {
                throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "cannot write " + resultFile + ": " + e.getMessage());
            }
        }
        return ExitCodes.forVerdict(rescored.scoring().verdict(), strict);
    }

    /** What criteria may name for a saved run: its requests, phases, memory sources, and target metrics if any. */
    static CriteriaParser.Context context(RunResult run) {
        RunResult.TargetMemory memory = run.targetMemory();
        return new CriteriaParser.Context(new HashSet<>(run.load().requests().keySet()),
                new HashSet<>(run.load().phases().keySet()), memory.memory() == null ? new HashSet<>()
                        : memory.memory().stream().map(m -> m.source()).collect(java.util.stream.Collectors.toSet()),
                memory.targetMetrics() != null && !memory.targetMetrics().isEmpty() || memory.memory() != null
                        && memory.memory().stream().anyMatch(m -> m.kind() == MemoryKind.PROMETHEUS),
                run.userFlows().flows() == null ? java.util.Set.of() : run.userFlows().flows().keySet());
    }

    static RunResult readResult(Path file) {
        try {
            RunResult r = JsonResult.read(file);
            if (r.schemaVersion() > RunResult.SCHEMA_VERSION) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, file + " has schemaVersion " + r.schemaVersion()
                        + "; this loadleak reads up to " + RunResult.SCHEMA_VERSION + ": upgrade loadleak");
            }
            if (r.load().overall() == null || r.load().requests() == null || r.load().phases() == null) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, file + " is not a loadleak result (no overall/requests/phases)");
            }
            return r;
        } catch (IOException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "cannot read " + file + " as a loadleak result: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The run's own criteria, parsed again from their expressions (so a saved run is scored the same way). */
    static List<Criterion> saved(RunResult run, CriteriaParser.Context ctx) throws InvalidScenarioException {
        List<Criterion> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (CriterionResult c : run.scoring().criteria()) {
            try {
                out.add(CriteriaParser.parse(c.expression(), c.required() ? Criterion.Level.REQUIRED
                        : Criterion.Level.TARGET, c.weight(), ctx));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("result.json", 0, 0, "criteria", e.getMessage(), null));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidScenarioException(problems);
        }
        return out;
    }
}
