package dev.loadleak.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** flows:, setup: and teardown: parse into a plan, and every mistake is reported at once with its place. */
class FlowScenarioTest {
    private static final String HEAD = "target: http://127.0.0.1:8080\nphases: [{duration: 1s, concurrency: 2}]\n";

    @Test
    void aFullFlowParses() throws Exception {
        Scenario s = ScenarioLoader.parse("f.yaml", HEAD + """
                setup:
                  - name: admin
                    method: POST
                    path: /login
                    extract:
                      adminToken: {json: /token}
                flows:
                  - name: media
                    weight: 3
                    onError: continue
                    resetEachIteration: true
                    cookies: false
                    steps:
                      - name: csrf
                        path: /csrf
                        extract:
                          csrf: {json: /token}
                          sid: {cookie: connect.sid}
                          code: status
                        think: 1s..3s
                      - name: create
                        method: POST
                        path: /items
                        headers: {X-CSRF-Token: "${csrf}", Authorization: "Bearer ${adminToken}"}
                        body: {title: "t ${seq}"}
                        extract:
                          id: {regex: '"id":(\\d+)', secret: false}
                          where: {header: Location}
                        think: 250ms
                      - path: /items/${id}
                  - name: browse
                    steps:
                      - {path: /}
                teardown:
                  - {method: DELETE, path: "/all?token=${adminToken}"}
                """);
        Flow.Plan p = s.flows();
        assertEquals(List.of("adminToken", "csrf", "sid", "code", "id", "where"), p.variables());
        assertEquals(2, p.flows().size());
        Flow media = p.flows().get(0);
        assertEquals(3, media.weight());
        assertTrue(media.continueOnError() && media.resetEachIteration() && !media.cookies());
        assertTrue(p.flows().get(1).cookies() && !p.flows().get(1).continueOnError());
        assertEquals(List.of("media.csrf", "media.create", "media.step-3", "browse.step-1"),
                s.requests().stream().map(RequestSpec::name).toList());
        Flow.Step csrf = media.steps().get(0);
        assertEquals(1_000_000_000L, csrf.thinkMin());
        assertEquals(3_000_000_000L, csrf.thinkMax());
        assertEquals(List.of(Flow.Source.JSON, Flow.Source.COOKIE, Flow.Source.STATUS),
                csrf.extract().stream().map(Flow.Extraction::source).toList());
        assertTrue(csrf.extract().get(0).secret() && !csrf.extract().get(2).secret(), "status is not a secret");
        Flow.Step create = media.steps().get(1);
        assertFalse(create.extract().get(0).secret(), "secret: false");
        assertEquals(250_000_000L, create.thinkMin());
        assertEquals(create.thinkMin(), create.thinkMax());
        // a template reads extracted values from whoever renders it
        String[] values = {"ADMIN", "CSRF", null, null, "42", null};
        Template url = media.steps().get(2).request().url();
        assertEquals("/items/42", url.render(0, new SplittableRandom(1), slot -> values[slot]));
        assertEquals("Bearer ADMIN", create.request().headers().get("Authorization").render(0, null, slot -> values[slot]));
        assertEquals(1, p.setup().size());
        assertEquals(1, p.teardown().size());
        assertEquals("/all?token=ADMIN", p.teardown().get(0).request().url().render(0, null, slot -> values[slot]));
    }

    @Test
    void everyMistakeIsReportedAtOnceWithItsPlace() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("bad.yaml",
                HEAD + """
                requests: [{path: /}]
                flows:
                  - name: a.b
                    onError: retry
                    steps:
                      - name: first
                        path: /x/${later}
                        extract:
                          uuid: {json: /id}
                          bad: {json: "no-slash"}
                          re: {regex: "no group"}
                          broken: {regex: "(unclosed"}
                          two: {json: /a, header: X}
                          none: {secret: false}
                          weird: {jsn: /a}
                        think: 3s..1s
                      - name: second
                        path: /y
                        weight: 2
                        extract:
                          later: {header: X-Later}
                      - name: second
                        path: /z/${nowhere}
                """));
        List<String> lines = e.problems().stream().map(Problem::toString).toList();
        String all = String.join("\n", lines);
        assertContains(all, "bad.yaml:3:11: requests: a scenario has requests: or flows:, not both");
        assertContains(all, "flows[0].name: \"a.b\" has a dot");
        assertContains(all, "flows[0].onError: must be abort");
        assertContains(all, "flows[0].steps[0].path: ${later} is used before any step of its flow (or setup:) extracts it");
        assertContains(all, "flows[0].steps[0].extract.uuid: \"uuid\" is the name of a built-in variable");
        assertContains(all, "flows[0].steps[0].extract.bad.json: \"no-slash\" is not a JSON pointer");
        assertContains(all, "flows[0].steps[0].extract.re.regex: the regex \"no group\" has no group");
        assertContains(all, "flows[0].steps[0].extract.broken.regex: bad regex");
        assertContains(all, "flows[0].steps[0].extract.two: names 2 sources");
        assertContains(all, "flows[0].steps[0].extract.none: names no source");
        assertContains(all, "flows[0].steps[0].extract.weird.jsn: unknown key");
        assertContains(all, "flows[0].steps[0].think: the range 3s..1s is empty");
        assertContains(all, "flows[0].steps[1].weight: unknown key");
        assertContains(all, "flows[0].steps[2].name: \"second\" is used twice");
        assertContains(all, "flows[0].steps[2].path: unknown variable ${nowhere}");
        for (Problem p : e.problems()) {
            assertTrue(p.line() > 0 && p.column() > 0, "every problem has a place: " + p);
        }
    }

    @Test
    void aRequestsScenarioHasSetupAndTeardownAndItsUsersRunItsRequestsAsOneStepFlows() throws Exception {
        Scenario s = ScenarioLoader.parse("s.yaml", HEAD + """
                setup: [{name: login, method: POST, path: /login, extract: {token: {json: /token}}}]
                requests:
                  - {name: items, path: /items, weight: 3, headers: {Authorization: "Bearer ${token}"}}
                  - {name: health, path: /health}
                teardown: [{name: logout, path: /logout, headers: {Authorization: "Bearer ${token}"}}]
                """);
        assertFalse(s.flows().hasFlows(), "the scenario wrote requests, and reports them per request");
        assertEquals(List.of("login"), s.flows().setup().stream().map(Flow.Step::name).toList());
        assertEquals(List.of("logout"), s.flows().teardown().stream().map(Flow.Step::name).toList());
        Flow.Plan users = s.userFlows();
        assertEquals(List.of("items", "health"), users.flows().stream().map(Flow::name).toList());
        assertEquals(List.of(3, 1), users.flows().stream().map(Flow::weight).toList());
        assertEquals(s.requests().get(0), users.flows().get(0).steps().get(0).request());
        assertEquals(List.of("token"), users.variables());
        assertTrue(users.flows().stream().allMatch(Flow::cookies), "users keep a jar by default");
        Scenario off = ScenarioLoader.parse("s.yaml", HEAD + "defaults: {cookies: false}\nrequests: [{path: /}]\n");
        assertFalse(off.userFlows().flows().get(0).cookies());
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("s.yaml",
                HEAD + "requests: [{path: \"/x/${token}\"}]\n"));
        assertContains(e.problems().toString(), "unknown variable ${token}");
    }

    @Test
    void defaultsCookiesIsTheDefaultOfAFlowsCookies() throws Exception {
        Scenario s = ScenarioLoader.parse("s.yaml", HEAD + """
                defaults: {cookies: false}
                flows: [{name: a, steps: [{path: /a}]}, {name: b, cookies: true, steps: [{path: /b}]}]
                """);
        assertEquals(List.of(false, true), s.flows().flows().stream().map(Flow::cookies).toList());
    }

    @Test
    void aFlowNeedsSteps() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("s.yaml",
                HEAD + "flows: [{name: x}, {name: y, steps: []}]\n"));
        String all = e.problems().toString();
        assertContains(all, "flows[0].steps: is missing");
        assertContains(all, "flows[1].steps: must be a non-empty list of steps");
        e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("s.yaml", HEAD));
        assertContains(e.problems().toString(), "at least one request, e.g. - {name: list, path: /api/items}, or flows:");
    }

    @Test
    void aTeardownSeesSetupsValuesButNotAFlows() {
        InvalidScenarioException e = assertThrows(InvalidScenarioException.class, () -> ScenarioLoader.parse("t.yaml",
                HEAD + """
                setup: [{path: /s, extract: {a: status}}]
                flows: [{steps: [{path: /f, extract: {b: status}}]}]
                teardown: [{path: "/t/${a}/${b}"}]
                """));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertContains(e.problems().get(0).toString(), "${b} is used before");
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), "expected \"" + part + "\" in:\n" + text);
    }
}
