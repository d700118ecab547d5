package dev.loadleak.result;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
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
 * @param realtime       what its {@code ws:} and {@code socketio:} steps' connections did; null when it has none
 */
public record FlowResult(String name, int weight, List<String> steps, long started, long completed, long failed,
                         long aborted, double failureRate, long skipped, Map<String, Long> skippedByStep,
                         Stats.Latency durationMicros, Stats.Histograms histograms, Realtime realtime) {

    public FlowResult(String name, int weight, List<String> steps, long started, long completed, long failed,
                      long aborted, double failureRate, long skipped, Map<String, Long> skippedByStep,
                      Stats.Latency durationMicros, Stats.Histograms histograms) {
        this(name, weight, steps, started, completed, failed, aborted, failureRate, skipped, skippedByStep,
                durationMicros, histograms, null);
    }

    /**
     * A flow's real-time connections over the scored phases (each step's latency and errors are under
     * {@code requests} as {@code flow.step}, as an HTTP step's).
     *
     * @param opened            connections its connect steps opened
     * @param reused            connect steps that found their closed user's connection still open, and kept it
     * @param closed            connections that ended, whoever ended them (loadleak at a close step, an
     *                          iteration's or the run's end; the server)
     * @param lost              of those, the ones the server ended or whose Engine.IO heartbeats stopped
     * @param messagesSent      text messages (Socket.IO emits) sent
     * @param messagesReceived  text messages (Socket.IO events and acks) received
     * @param heartbeats        Engine.IO pings answered
     * @param discarded         messages no receive or on step took, dropped from the 64 kept per connection
     * @param sentPerSecond     messagesSent over the scored phases' duration
     * @param receivedPerSecond messagesReceived over the same
     */
    public record Realtime(long opened, long reused, long closed, long lost, long messagesSent, long messagesReceived,
                           long heartbeats, long discarded, double sentPerSecond, double receivedPerSecond) {
        /** The sum of two parts' counts (shards), with rates over {@code seconds}. */
        public static Realtime sum(Realtime a, Realtime b, double seconds) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            return of(a.opened + b.opened, a.reused + b.reused, a.closed + b.closed, a.lost + b.lost,
                    a.messagesSent + b.messagesSent, a.messagesReceived + b.messagesReceived,
                    a.heartbeats + b.heartbeats, a.discarded + b.discarded, seconds);
        }

        public static Realtime of(long opened, long reused, long closed, long lost, long sent, long received,
                                  long heartbeats, long discarded, double seconds) {
            double s = Math.max(seconds, 1e-9);
            return new Realtime(opened, reused, closed, lost, sent, received, heartbeats, discarded,
                    Math.round(sent / s * 100) / 100.0, Math.round(received / s * 100) / 100.0);
        }
    }

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
     * @param stage  setup or teardown (written {@code "setup"}, {@code "teardown"})
     * @param status the answer's status, 0 when none came
     * @param error  why it failed (secrets redacted), else null
     */
    public record SetupStep(Stage stage, String name, String method, String path, int status, double millis,
                            boolean ok, String error) {
    }

    /** When a once-only step runs: before the load or after it. */
    public enum Stage {
        SETUP, TEARDOWN;

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Stage of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }
    }
}
