package dev.loadleak.cli;

import dev.loadleak.analysis.Comparison;
import dev.loadleak.analysis.HuntResult;
import dev.loadleak.result.ClassGrowth;
import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.ForcedGcResult;
import dev.loadleak.result.Generator;
import dev.loadleak.result.Growth;
import dev.loadleak.result.HeapGrowth;
import dev.loadleak.result.HeapSpaces;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.LeakFinding;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Shard;
import dev.loadleak.result.Stats;
import dev.loadleak.result.TimelinePoint;
import dev.loadleak.result.Verdict;
import dev.loadleak.scenario.Criterion;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must keep for reflection beyond what Quarkus registers itself: the
 * records Jackson writes and reads as result.json (outside any REST endpoint), and HdrHistogram's
 * Histogram, whose decoder finds its constructor by reflection.
 */
@RegisterForReflection(targets = {
    RunResult.class,
    RunResult.Provenance.class,
    RunResult.Load.class,
    RunResult.TargetMemory.class,
    RunResult.Scoring.class,
    RunResult.UserFlows.class,
    RunResult.ScenarioInfo.class,
    RunResult.PhaseInfo.class,
    MemorySeries.class,
    MemorySeries.Gap.class,
    MemorySeries.Retained.class,
    Growth.class,
    HeapSpaces.class,
    HeapSpaces.Space.class,
    Growth.PhaseSlope.class,
    ClassGrowth.class,
    FlowResult.class,
    FlowResult.SetupStep.class,
    FlowResult.Stage.class,
    MemoryKind.class,
    FlowResult.Realtime.class,
    ClassGrowth.Row.class,
    ForcedGcResult.class,
    HeapGrowth.class,
    HeapGrowth.Group.class,
    HeapGrowth.Retainers.class,
    HuntResult.class,
    HuntResult.Suspect.class,
    LeakAnalysis.class,
    LeakFinding.class,
    CriterionResult.class,
    CriterionResult.Outcome.class,
    Criterion.Level.class,
    Verdict.class,
    RunStatus.class,
    Shard.class,
    Generator.class,
    Comparison.Delta.class,
    Comparison.Result.class,
    Stats.class,
    Stats.Latency.class,
    Stats.Summary.class,
    Stats.Histograms.class,
    TimelinePoint.class,
    org.HdrHistogram.Histogram.class,
    org.HdrHistogram.DoubleHistogram.class,
})
final class NativeReflection {
    private NativeReflection() {
    }
}
