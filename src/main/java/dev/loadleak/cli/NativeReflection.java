package dev.loadleak.cli;

import dev.loadleak.analysis.ClassGrowth;
import dev.loadleak.analysis.ExactRetention;
import dev.loadleak.analysis.HeapGrowth;
import dev.loadleak.analysis.Comparison;
import dev.loadleak.analysis.CriterionResult;
import dev.loadleak.analysis.FlowResult;
import dev.loadleak.analysis.Generator;
import dev.loadleak.analysis.GrowthTimeline;
import dev.loadleak.analysis.HeapSpaces;
import dev.loadleak.analysis.HuntResult;
import dev.loadleak.analysis.LeakAnalysis;
import dev.loadleak.analysis.LeakFinding;
import dev.loadleak.analysis.MemorySeries;
import dev.loadleak.analysis.RunResult;
import dev.loadleak.analysis.RunStatus;
import dev.loadleak.analysis.Verdict;
import dev.loadleak.engine.Shard;
import dev.loadleak.metrics.Stats;
import dev.loadleak.metrics.TimelinePoint;
import dev.loadleak.scenario.Criterion;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must keep for reflection beyond what Quarkus registers itself: the
 * records Jackson writes and reads as result.json (outside any REST endpoint), and HdrHistogram's
 * Histogram, whose decoder finds its constructor by reflection.
 */
@RegisterForReflection(targets = {
    RunResult.class,
    RunResult.ScenarioInfo.class,
    RunResult.PhaseInfo.class,
    MemorySeries.class,
    MemorySeries.Gap.class,
    MemorySeries.Retained.class,
    GrowthTimeline.Growth.class,
    HeapSpaces.class,
    HeapSpaces.Space.class,
    GrowthTimeline.PhaseSlope.class,
    ClassGrowth.class,
    FlowResult.class,
    FlowResult.SetupStep.class,
    FlowResult.Realtime.class,
    ClassGrowth.Row.class,
    ExactRetention.Result.class,
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
