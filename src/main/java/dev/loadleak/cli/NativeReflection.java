package dev.loadleak.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image must keep for reflection beyond what Quarkus registers itself: the
 * records Jackson writes and reads as result.json (outside any REST endpoint), and HdrHistogram's
 * Histogram, whose decoder finds its constructor by reflection.
 */
@RegisterForReflection(targets = {
    dev.loadleak.analysis.RunResult.class,
    dev.loadleak.analysis.RunResult.ScenarioInfo.class,
    dev.loadleak.analysis.RunResult.PhaseInfo.class,
    dev.loadleak.analysis.MemorySeries.class,
    dev.loadleak.analysis.MemorySeries.Gap.class,
    dev.loadleak.analysis.MemorySeries.Retained.class,
    dev.loadleak.analysis.GrowthTimeline.Growth.class,
    dev.loadleak.analysis.HeapSpaces.class,
    dev.loadleak.analysis.HeapSpaces.Space.class,
    dev.loadleak.analysis.GrowthTimeline.PhaseSlope.class,
    dev.loadleak.analysis.ClassGrowth.class,
    dev.loadleak.analysis.FlowResult.class,
    dev.loadleak.analysis.FlowResult.SetupStep.class,
    dev.loadleak.analysis.ClassGrowth.Row.class,
    dev.loadleak.analysis.HuntResult.class,
    dev.loadleak.analysis.HuntResult.Suspect.class,
    dev.loadleak.analysis.LeakAnalysis.class,
    dev.loadleak.analysis.CriterionResult.class,
    dev.loadleak.analysis.Verdict.class,
    dev.loadleak.analysis.RunStatus.class,
    dev.loadleak.engine.Shard.class,
    dev.loadleak.analysis.Generator.class,
    dev.loadleak.analysis.Comparison.Delta.class,
    dev.loadleak.analysis.Comparison.Result.class,
    dev.loadleak.metrics.Stats.class,
    dev.loadleak.metrics.Stats.Latency.class,
    dev.loadleak.metrics.Stats.Summary.class,
    dev.loadleak.metrics.Stats.Histograms.class,
    dev.loadleak.metrics.TimelinePoint.class,
    org.HdrHistogram.Histogram.class,
    org.HdrHistogram.DoubleHistogram.class,
})
final class NativeReflection {
    private NativeReflection() {
    }
}
