package dev.loadleak.run;

import dev.loadleak.analysis.LeakDetector;
import dev.loadleak.analysis.LoadOutcome;
import dev.loadleak.analysis.MemoryResults;
import dev.loadleak.analysis.ResultAssembler;
import dev.loadleak.engine.EnginePlan;
import dev.loadleak.metrics.MemorySampler;
import dev.loadleak.metrics.Totals;
import dev.loadleak.result.ClassGrowth;
import dev.loadleak.result.Generator;
import dev.loadleak.result.MemoryKind;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Shard;
import dev.loadleak.scenario.MemoryConfig;
import dev.loadleak.scenario.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The scored result of what was measured: the load's totals and the memory series, analysed with the scenario's
 * own leak threshold and warm-up. One assembly for the live view, the final result and a journal's replay, so that
 * the three cannot disagree.
 */
final class MeasuredResult {
    private MeasuredResult() {
    }

    static RunResult assemble(Scenario scenario, EnginePlan plan, Totals totals,
                              List<MemorySampler.Series> series, LoadOutcome outcome, Instant startedAt, String version,
                              Shard shard, Generator generator, List<ClassGrowth> grown) {
        List<MemorySampler.Series> memorySeries = new ArrayList<>();
        List<MemorySampler.Series> targetSeries = new ArrayList<>();
        for (MemorySampler.Series s : series) {
            (s.kind() == MemoryKind.TARGET_METRIC ? targetSeries : memorySeries).add(s);
        }
        MemoryConfig mc = scenario.memory();
        LeakDetector.Params params = mc == null ? LeakDetector.Params.defaults()
                : LeakDetector.Params.defaults().withThreshold(mc.leakThresholdMBPerHour());
        double from = plan.warmupEndSeconds(mc == null ? MemoryConfig.DEFAULT_WARMUP_SHARE : mc.warmupShare());
        ResultAssembler.Extras extras = new ResultAssembler.Extras(version,
                MemoryResults.of(memorySeries, from, params), MemoryResults.targetMetrics(targetSeries), generator,
                shard, grown);
        return ResultAssembler.assemble(scenario, plan, totals, outcome, startedAt, extras);
    }
}
