package dev.loadleak.result;

import java.util.List;

/**
 * The result entry ({@code forcedGc} in result.json).
 *
 * @param source           the memory source made to collect
 * @param how              how ({@code HeapProfiler.collectGarbage}, {@code jcmd GC.class_histogram})
 * @param collections      how many collections the target was made to do (the unrecorded first ones included)
 * @param pauseMillis      their round trips: median and max (what each cost the target, at most)
 * @param readings         [[second, bytes after, requests completed by then, pause ms]]
 * @param bytesPerRequest  heap retained per completed request, and its 95 % interval
 * @param bytesPerIteration with flows, heap retained per flow iteration that ended (per request × the
 *                         scored phases' requests per ended iteration) and its interval; else null
 * @param growthMBPerHour  the post-GC heap's growth rate and its 95 % interval
 * @param grewMB           from the first round to the last (means of the rounds)
 * @param verdict          LEAK, NO_LEAK or INCONCLUSIVE, from this series
 * @param reasons          the verdict in words
 * @param error            why collecting stopped, or null
 * @param heapGrowth       what grew by constructor, and who holds it ({@code evidence: heapSnapshot}), or null
 */
public record ForcedGcResult(String source, String how, int collections, double[] pauseMillis, List<double[]> readings,
                     Double bytesPerRequest, double[] bytesPerRequestCi95, Double bytesPerIteration,
                     double[] bytesPerIterationCi95, Double growthMBPerHour,
                     double[] growthCi95MBPerHour, double grewMB, LeakFinding verdict, List<String> reasons, String error,
                     HeapGrowth heapGrowth) {
}
