package dev.loadleak.report;

import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.Stats;
import dev.loadleak.result.Verdict;
import dev.loadleak.scenario.Units;
import java.util.Locale;
import java.util.Map;

/** A Markdown summary for {@code $GITHUB_STEP_SUMMARY} and pull-request comments. */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(RunResult r) {
        RunResult.Scoring scoring = r.scoring();
        RunResult.Load load = r.load();
        RunResult.ScenarioInfo scenario = r.provenance().scenario();
        StringBuilder m = new StringBuilder();
        String icon = switch (scoring.verdict()) {
            case GO -> "✅";
            case CONDITIONAL_GO -> "⚠️";
            default -> "❌";
        };
        m.append("### ").append(icon).append(" loadleak: ").append(scoring.verdict().display()).append(" (score ")
                .append(scoring.score()).append("/100) — ").append(md(scenario.name())).append("\n\n");
        m.append(String.format(Locale.ROOT, "%s → `%s`, %s after %.1f s, %d requests, %.2f %% errors, %.1f req/s%n%n",
                md(scenario.name()), scenario.target(), r.status().json(), load.durationSeconds(), load.overall().requests(),
                load.overall().errorRate() * 100, load.overall().throughputPerSecond()));
        if (!scoring.criteria().isEmpty()) {
            m.append("| | criterion | actual |\n|---|---|---|\n");
            for (CriterionResult c : scoring.criteria()) {
                m.append("| ").append(c.pass() ? "✅" : c.inconclusive() ? "❔ inconclusive" : "❌").append(" ").append(c.level().word()).append(" | `")
                        .append(c.expression().replace("|", "\\|")).append("` | ").append(md(c.actualText())).append(" |\n");
            }
            m.append('\n');
        }
        m.append("| request | count | req/s | errors | p50 | p95 | p99 | max |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Stats> e : load.requests().entrySet()) {
            row(m, e.getKey(), e.getValue());
        }
        row(m, "**all**", load.overall());
        if (r.userFlows().flows() != null) {
            m.append('\n');
            for (FlowResult f : r.userFlows().flows().values()) {
                m.append("**flow ").append(md(f.name())).append("**: ").append(md(HtmlFlows.flowLine(f))).append("  \n");
            }
        }
        if (r.userFlows().setup() != null) {
            for (FlowResult.SetupStep s : r.userFlows().setup()) {
                if (!s.ok()) {
                    m.append("\n").append(s.stage()).append(" step ").append(md(s.name())).append(" failed: ")
                            .append(md(s.error())).append('\n');
                }
            }
        }
        if (r.targetMemory().memory() != null) {
            for (MemorySeries s : r.targetMemory().memory()) {
                if (s.analysis() != null) {
                    m.append("\n**memory ").append(md(s.source())).append("**: ").append(s.analysis().verdict()).append(" — ")
                            .append(md(String.join("; ", s.analysis().reasons())))
                            .append(s.retained() == null ? "" : "; " + md(ConsoleSummary.retainedText(s.retained())))
                            .append(s.growthLines().isEmpty() ? "" : "; " + md(String.join("; ", s.growthLines())))
                            .append('\n');
                }
            }
        }
        if (!scoring.verdictReasons().isEmpty() && scoring.verdict() != Verdict.GO) {
            m.append("\n").append(md(scoring.verdictReasons().get(0))).append('\n');
        }
        return m.toString();
    }

    private static void row(StringBuilder m, String name, Stats s) {
        m.append("| ").append(md(name)).append(" | ").append(s.requests()).append(" | ")
                .append(String.format(Locale.ROOT, "%.1f", s.throughputPerSecond())).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f %%", s.errorRate() * 100)).append(" | ");
        if (s.latencyMicros() == null) {
            m.append("– | – | – | – |\n");
            return;
        }
        Stats.Summary c = s.latencyMicros().corrected();
        m.append(Units.formatMicros(c.p50())).append(" | ").append(Units.formatMicros(c.p95())).append(" | ")
                .append(Units.formatMicros(c.p99())).append(" | ").append(Units.formatMicros(c.max())).append(" |\n");
    }

    private static String md(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("<", "&lt;");
    }
}
