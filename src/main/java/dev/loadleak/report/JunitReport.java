package dev.loadleak.report;

import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Verdict;
import java.util.Locale;

/**
 * JUnit XML for Jenkins, GitLab and GitHub test reporters: one testcase per criterion, a failure
 * saying "required X, actual Y"; a run without criteria gets one testcase for the run itself.
 */
public final class JunitReport {
    private JunitReport() {
    }

    /** The flows' iterations and the setup and teardown steps, as the suite's output (informative, not test cases). */
    private static String flows(RunResult r) {
        StringBuilder out = new StringBuilder();
        if (r.userFlows().flows() != null) {
            r.userFlows().flows().values().forEach(f -> out.append("flow ").append(f.name()).append(" — ")
                    .append(HtmlFlows.flowLine(f)).append('\n'));
        }
        if (r.userFlows().setup() != null) {
            r.userFlows().setup().forEach(s -> out.append(s.stage()).append(' ').append(s.name()).append(": ")
                    .append(s.ok() ? "ok" : "FAILED: " + s.error()).append('\n'));
        }
        return out.length() == 0 ? "" : "  <system-out>" + Html.esc(out.toString()) + "</system-out>\n";
    }

    public static String render(RunResult r) {
        RunResult.Scoring scoring = r.scoring();
        int failures = 0;
        int skipped = 0;
        StringBuilder cases = new StringBuilder();
        String suite = "loadleak." + r.provenance().scenario().name();
        if (r.status() != null && r.status().preflightFailed()) {
            // no load was sent: the one test case that matters says why
            failures++;
            String name = (r.status() == RunStatus.UNREACHABLE ? "target reachable" : "target healthy")
                    + ": " + r.failure();
            cases.append("  <testcase classname='").append(Html.esc(suite + ".preflight")).append("' name='")
                    .append(Html.esc(name)).append("'><failure message='").append(Html.esc(r.failure())).append("'/>")
                    .append("</testcase>\n");
        }
        if (scoring.criteria().isEmpty()) {
            boolean ok = scoring.verdict() != Verdict.NO_GO;
            failures += ok ? 0 : 1;
            cases.append("  <testcase classname='").append(Html.esc(suite)).append("' name='run completes'>");
            if (!ok) {
                cases.append("<failure message='").append(Html.esc(String.join("; ", scoring.verdictReasons()))).append("'/>");
            }
            cases.append("</testcase>\n");
        }
        for (CriterionResult c : scoring.criteria()) {
            cases.append("  <testcase classname='").append(Html.esc(suite + "." + c.level().word())).append("' name='")
                    .append(Html.esc(c.expression())).append("'>");
            if (c.inconclusive()) {
                // neither passed nor failed on this run's data: a skipped test case says so to CI
                skipped++;
                cases.append("<skipped message='").append(Html.esc(c.message())).append("'/>");
            } else if (!c.pass()) {
                failures++;
                cases.append("<failure message='").append(Html.esc(c.message())).append("' type='")
                        .append(c.level().word()).append("'>")
                        .append(Html.esc(c.message())).append("</failure>");
            } else {
                cases.append("<system-out>").append(Html.esc(c.message())).append("</system-out>");
            }
            cases.append("</testcase>\n");
        }
        int tests = Math.max(1, scoring.criteria().size()) + (r.status() != null && r.status().preflightFailed() ? 1 : 0);
        return "<?xml version='1.0' encoding='UTF-8'?>\n"
                + String.format(Locale.ROOT, "<testsuites name='loadleak' tests='%d' failures='%d' errors='0' time='%.3f'>%n",
                        tests, failures, r.load().durationSeconds())
                + String.format(Locale.ROOT, "<testsuite name='%s' tests='%d' failures='%d' errors='0' skipped='%d' "
                        + "time='%.3f' timestamp='%s'>%n", Html.esc(suite), tests, failures, skipped, r.load().durationSeconds(),
                        Html.esc(r.provenance().startedAt()))
                + "  <properties><property name='verdict' value='" + scoring.verdict().display() + "'/>"
                + "<property name='score' value='" + scoring.score() + "'/><property name='status' value='"
                + Html.esc(r.status().json()) + "'/></properties>\n"
                + cases + flows(r) + "</testsuite>\n</testsuites>\n";
    }
}
