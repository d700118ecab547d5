package dev.loadleak.result;

import java.util.List;

/**
 * One memory source's series and what the leak detector made of it.
 *
 * @param samples  [[seconds since start, bytes]], downsampled when long
 * @param gaps     samples that failed, with their reasons
 * @param analysis the leak analysis, or null when there was nothing to analyse
 * @param retained what the growth means per request: the floor's slope ÷ the completed throughput
 *                 of the scored phases, with its interval; null without a slope or a throughput
 * @param growth   since when the floor grows and its slope per phase; null without a floor
 * @param spaces   which V8 heap space grows, for a Node.js source whose page has them; else null
 */
public record MemorySeries(String source, MemoryKind kind, boolean postGc, List<double[]> samples, List<Gap> gaps,
                           LeakAnalysis analysis, Retained retained, Growth growth, HeapSpaces spaces) {

    public MemorySeries(String source, MemoryKind kind, boolean postGc, List<double[]> samples, List<Gap> gaps,
                        LeakAnalysis analysis) {
        this(source, kind, postGc, samples, gaps, analysis, null, null, null);
    }

    /** Every line that says where and when it grew: the growth timeline's, then the heap spaces'. */
    public List<String> growthLines() {
        List<String> lines = new java.util.ArrayList<>();
        if (growth != null) {
            lines.addAll(growth.describe());
        }
        if (spaces != null) {
            lines.addAll(spaces.describe());
        }
        return lines;
    }

    /**
     * Bytes retained per unit of work: per request ({@code per} = "request"), or per sample interval
     * where no throughput is known ({@code loadleak leak FILE}).
     *
     * @param bytes  the point estimate
     * @param ci95   its 95 % interval [low, high] (the slope's, divided by the same throughput)
     */
    public record Retained(double bytes, double[] ci95, String per) {
    }

    /** The same series with what its growth means per request, and when and where it grew. */
    public MemorySeries with(Retained r, Growth g) {
        return new MemorySeries(source, kind, postGc, samples, gaps, analysis, r, g, spaces);
    }

    /** The same series with its heap spaces. */
    public MemorySeries withSpaces(HeapSpaces s) {
        return new MemorySeries(source, kind, postGc, samples, gaps, analysis, retained, growth, s);
    }

    /** Consecutive samples that could not be taken, from {@code second} to {@code until}, and why. */
    public record Gap(double second, double until, int count, String reason) {
    }
}
