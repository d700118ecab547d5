package dev.loadleak.scenario;

import java.util.List;

/**
 * A user flow: ordered steps that one virtual user sends in turn, carrying a cookie jar and the
 * values earlier steps extracted. A scenario's {@code requests:} form has none (each request is
 * then a one-step flow run by the plain request path).
 *
 * @param weight             its share of the iterations among the flows
 * @param steps              in order; each step's request is named {@code flow.step}
 * @param continueOnError    {@code onError: continue}: a failed step does not end the iteration
 * @param resetEachIteration a closed-model user starts each iteration with a fresh jar and no values
 * @param cookies            whether users keep a cookie jar ({@code cookies: false} turns it off)
 */
public record Flow(String name, int weight, List<Step> steps, boolean continueOnError, boolean resetEachIteration,
                   boolean cookies) {
    public Flow {
        steps = List.copyOf(steps);
    }

    /**
     * One step: a request (every key a request has) plus what it extracts from the answer and
     * the pause before the next step.
     *
     * @param name       the step's own name ({@code request.name()} is {@code flow.step})
     * @param thinkMin   the pause after this step, in nanoseconds (a uniform draw up to {@code thinkMax})
     * @param realtime   a {@code ws:} or {@code socketio:} step's action (its {@code request} then only names it:
     *                   method {@code WS} or {@code SOCKETIO}), or null for an HTTP request
     */
    public record Step(String name, RequestSpec request, List<Extraction> extract, long thinkMin, long thinkMax,
                       Realtime realtime) {
        public Step {
            extract = List.copyOf(extract);
        }

        /** An HTTP request step. */
        public Step(String name, RequestSpec request, List<Extraction> extract, long thinkMin, long thinkMax) {
            this(name, request, extract, thinkMin, thinkMax, null);
        }

        public boolean needsBody() {
            return extract.stream().anyMatch(e -> e.source() == Source.JSON || e.source() == Source.REGEX);
        }

        public boolean needsHeaders() {
            return extract.stream().anyMatch(e -> e.source() == Source.HEADER || e.source() == Source.COOKIE);
        }
    }

    /** Where an extracted value comes from. */
    public enum Source { JSON, HEADER, REGEX, COOKIE, STATUS }

    /**
     * One value a step takes from its answer into {@code ${variable}}.
     *
     * @param expression the JSON pointer, header name, regex (one group) or cookie name; "" for the status
     * @param secret     redacted everywhere an environment secret is (the default)
     * @param slot       the variable's index among all of the scenario's extracted variables
     */
    public record Extraction(String variable, Source source, String expression, boolean secret, int slot) {
    }

    /**
     * The flows of a scenario with its {@code setup:} and {@code teardown:} steps.
     *
     * @param variables every extracted variable's name, by slot (the values setup extracts belong to the run, not
     *                  to the scenario: {@code run.RunContext})
     */
    public record Plan(List<Flow> flows, List<Step> setup, List<Step> teardown, List<String> variables) {
        public static final Plan NONE = new Plan(List.of(), List.of(), List.of(), List.of());

        public Plan {
            flows = List.copyOf(flows);
            setup = List.copyOf(setup);
            teardown = List.copyOf(teardown);
            variables = List.copyOf(variables);
        }

        /** Whether the scenario wrote {@code flows:} (a {@code requests:} scenario's plan holds only setup and teardown). */
        public boolean hasFlows() {
            return !flows.isEmpty();
        }

        /**
         * What the users of a {@code requests:} scenario run: each request a one-step flow of the same name and
         * weight, so that request indexes, names and weights are the requests' own and results read the same.
         * Users keep a cookie jar across their requests unless {@code cookies} is false, as Locust's, k6's and
         * Gatling's users do: sent without one, 20 users created 15,207 sessions in 15,207 requests against
         * express-session, and the load tester made the leak it was looking for.
         */
        public Plan withRequests(List<RequestSpec> requests, boolean cookies) {
            List<Flow> oneStep = new java.util.ArrayList<>();
            for (RequestSpec r : requests) {
                oneStep.add(new Flow(r.name(), r.weight(), List.of(new Step(r.name(), r, List.of(), 0, 0)), false, false,
                        cookies));
            }
            return new Plan(oneStep, setup, teardown, variables);
        }
    }
}
