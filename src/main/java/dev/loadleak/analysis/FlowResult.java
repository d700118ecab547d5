package dev.loadleak.analysis;

import dev.loadleak.metrics.Stats;
import java.util.List;
import java.util.Map;

/**
 * One user flow's iterations over the scored phases (result.json {@code flows}). Its steps'
 * requests are under {@code requests} as {@code flow.step}.
 *
 * @param started        iterations started
 * @param completed      iterations whose every step was sent and passed
 * @param failed         iterations in which a step failed (its expect, an extraction, a transport error)
 * @param aborted        iterations cut by the end of the run or of a closed phase, or by a stop
 * @param failureRate    failed ÷ (completed + failed); 0 when none ended
 * @param skipped        steps not sent because their iteration had ended, in all
 * @param skippedByStep  the same per step name (steps with none left out)
 * @param durationMicros iteration duration of completed and failed iterations: corrected (from
 *                       the intended start) and uncorrected (from the first send); null when none ended
 * @param histograms     the iteration durations themselves (HdrHistogram, base64), so that shards merge exactly
 */
public record FlowResult(String name, int weight, List<String> steps, long started, long completed, long failed,
                         long aborted, double failureRate, long skipped, Map<String, Long> skippedByStep,
                         Stats.Latency durationMicros, Stats.Histograms histograms) {

    public FlowResult(String name, int weight, List<String> steps, long started, long completed, long failed,
                      long aborted, double failureRate, long skipped, Map<String, Long> skippedByStep,
                      Stats.Latency durationMicros) {
        this(name, weight, steps, started, completed, failed, aborted, failureRate, skipped, skippedByStep,
                durationMicros, null);
    }

    /** failed ÷ (completed + failed), rounded to 6 digits; 0 when none ended. */
    public static double failureRate(long completed, long failed) {
        return completed + failed == 0 ? 0 : Math.round(1e6 * failed / (double) (completed + failed)) / 1e6;
    }

    /**
     * A step of setup or teardown, run once before or after the load (reported, not scored).
     *
     * @param stage  "setup" or "teardown"
     * @param status the answer's status, 0 when none came
     * @param error  why it failed (secrets redacted), else null
     */
    public record SetupStep(String stage, String name, String method, String path, int status, double millis,
                            boolean ok, String error) {
    }
}
