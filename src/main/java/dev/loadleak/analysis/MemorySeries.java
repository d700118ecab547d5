package dev.loadleak.analysis;

import java.util.List;

/**
 * One memory source's series and what the leak detector made of it.
 *
 * @param samples  [[seconds since start, bytes]], downsampled when long
 * @param gaps     samples that failed, with their reasons
 * @param analysis the leak analysis, or null when there was nothing to analyse
 */
public record MemorySeries(String source, String kind, boolean postGc, List<double[]> samples, List<Gap> gaps,
                           LeakAnalysis analysis) {

    /** Consecutive samples that could not be taken, from {@code second} to {@code until}, and why. */
    public record Gap(double second, double until, int count, String reason) {
    }
}
