package dev.loadleak.scenario;

import java.net.URI;
import java.util.List;

/**
 * A validated scenario: the only form of a scenario that the engine ever sees.
 *
 * @param name    shown in reports
 * @param source  the file it came from (or a description), for messages
 * @param target  base URL that request paths are resolved against
 */
public record Scenario(String name, String source, URI target, Defaults defaults, List<Phase> phases,
                       List<RequestSpec> requests) {

    public Scenario {
        phases = List.copyOf(phases);
        requests = List.copyOf(requests);
    }

    /** The same scenario against another base URL (used by {@code demo} and {@code --target}). */
    public Scenario withTarget(URI newTarget) {
        return new Scenario(name, source, newTarget, defaults, phases, requests);
    }

    /** The same scenario with every phase's duration replaced (used by {@code demo --duration}). */
    public Scenario withDurationNanos(long durationNanos) {
        return new Scenario(name, source, target, defaults,
                phases.stream().map(p -> p.withDurationNanos(durationNanos)).toList(), requests);
    }

    /** Total planned duration of all phases. */
    public long totalDurationNanos() {
        return phases.stream().mapToLong(Phase::durationNanos).sum();
    }
}
