package dev.loadleak.scenario;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * A validated scenario: the only form of a scenario that the engine ever sees.
 *
 * @param source    the file it came from (or a description), for messages
 * @param target    base URL that request paths are resolved against
 * @param preflight health check before load, or null (then only a TCP connect is tried)
 * @param requests  the request mix; with flows, every flow's steps in order (named {@code flow.step})
 * @param secrets   values taken from the environment: redacted from every output
 * @param flows     the user flows, setup and teardown ({@link Flow.Plan#NONE} for the {@code requests:} form)
 * @param origin    how to load it again (a run's journal keeps it, so that {@code report DIR} can
 *                  rebuild the result of a run that was killed), or null when it cannot be
 */
public record Scenario(String name, String source, URI target, Defaults defaults, Preflight preflight,
                       List<Phase> phases, List<RequestSpec> requests, List<Criterion> criteria,
                       MemoryConfig memory, Set<String> secrets, Flow.Plan flows, Origin origin) {

    /**
     * The text a scenario was loaded from and what shaped it: enough to load it again.
     *
     * @param baseDir        the folder its files are relative to
     * @param overrides      the {@code key=value} assignments applied to it (templates, as written)
     * @param durationNanos  when set, its phases were scaled to last this long ({@code demo --duration})
     */
    public record Origin(String file, String text, String baseDir, List<String> overrides, boolean allowLong,
                         Long durationNanos) {
    }

    public Scenario(String name, String source, URI target, Defaults defaults, Preflight preflight, List<Phase> phases,
                    List<RequestSpec> requests, List<Criterion> criteria, MemoryConfig memory, Set<String> secrets) {
        this(name, source, target, defaults, preflight, phases, requests, criteria, memory, secrets, Flow.Plan.NONE, null);
    }

    public Scenario(String name, String source, URI target, Defaults defaults, Preflight preflight, List<Phase> phases,
                    List<RequestSpec> requests, List<Criterion> criteria, MemoryConfig memory, Set<String> secrets,
                    Flow.Plan flows) {
        this(name, source, target, defaults, preflight, phases, requests, criteria, memory, secrets, flows, null);
    }

    public Scenario {
        phases = List.copyOf(phases);
        requests = List.copyOf(requests);
        criteria = List.copyOf(criteria);
        secrets = Set.copyOf(secrets);
    }

    /** The same scenario against another base URL (used by {@code demo}). */
    public Scenario withTarget(URI newTarget) {
        Origin o = origin == null ? null : new Origin(origin.file(), origin.text(), origin.baseDir(),
                java.util.stream.Stream.concat(origin.overrides().stream(), java.util.stream.Stream.of("target=" + newTarget))
                        .toList(), origin.allowLong(), origin.durationNanos());
        return new Scenario(name, source, newTarget, defaults, preflight, phases, requests, criteria, memory, secrets, flows,
                o);
    }

    /** Scales every phase so that together they last {@code durationNanos} (used by {@code demo --duration}). */
    public Scenario withDurationNanos(long durationNanos) {
        double f = (double) durationNanos / totalDurationNanos();
        return new Scenario(name, source, target, defaults, preflight,
                phases.stream().map(p -> p.withDurationNanos(Math.max(1_000_000L, Math.round(p.durationNanos() * f))))
                        .toList(), requests, criteria, memory, secrets, flows, origin == null ? null
                : new Origin(origin.file(), origin.text(), origin.baseDir(), origin.overrides(), origin.allowLong(),
                        durationNanos));
    }

    /**
     * The same target, defaults, preflight, memory and secrets with other phases, requests and
     * criteria (used by {@code hunt}, which runs each request alone), setup and teardown kept.
     */
    public Scenario withLoad(String newName, List<Phase> newPhases, List<RequestSpec> newRequests,
                             List<Criterion> newCriteria) {
        return new Scenario(newName, source, target, defaults, preflight, newPhases, newRequests, newCriteria, memory,
                secrets, new Flow.Plan(List.of(), flows.setup(), flows.teardown(), flows.variables()), null);
    }

    /** The highest rate an open phase of this scenario intends, or 0 when no phase is open. */
    public double peakOpenRate() {
        double peak = 0;
        for (Phase p : phases) {
            if (p.load() instanceof Phase.ConstantRate c) {
                peak = Math.max(peak, c.perSecond());
            } else if (p.load() instanceof Phase.Ramp r) {
                peak = Math.max(peak, Math.max(r.from(), r.to()));
            }
        }
        return peak;
    }

    /** The same scenario with other flows (e.g. one of them alone, as {@code hunt} runs them). */
    public Scenario withFlows(Flow.Plan newFlows) {
        return new Scenario(name, source, target, defaults, preflight, phases, requests, criteria, memory, secrets,
                newFlows, origin);
    }

    /**
     * What the virtual users run: the written flows, or for the {@code requests:} form each request as a one-step
     * flow (with setup and teardown either way). Every scenario runs on the one flow path.
     */
    public Flow.Plan userFlows() {
        return flows.hasFlows() ? flows : flows.withRequests(requests, defaults == null || defaults.cookies());
    }

    /** Total planned duration of all phases. */
    public long totalDurationNanos() {
        return phases.stream().mapToLong(Phase::durationNanos).sum();
    }

    public Redactor redactor() {
        return new Redactor(secrets);
    }
}
