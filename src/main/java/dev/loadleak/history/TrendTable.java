package dev.loadleak.history;

import dev.loadleak.report.TrendPage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A metric across runs as text, Markdown or CSV (one row a run, the change points marked where
 * they start), or as an HTML page of charts ({@code history trend --format html}, and the trend
 * view of {@code serve --history}).
 */
public final class TrendTable {
    private TrendTable() {
    }

    public static String render(List<HistoryStore.Run> runs, double[] values, HistoryCheck.Report report, String metric,
                                String format) {
        StringBuilder b = new StringBuilder();
        switch (format) {
            case "csv" -> b.append("run,started_at,commit,").append(metric).append(",change\n");
            case "md" -> b.append("| run | started | commit | ").append(metric).append(" | change |\n|---:|---|---|---:|---|\n");
            default -> b.append(String.format(Locale.ROOT, "%-4s %-30s %-12s %12s  %s%n", "run", "started", "commit", metric,
                    "change"));
        }
        for (int i = 0; i < runs.size(); i++) {
            HistoryStore.Run r = runs.get(i);
            String change = "";
            for (HistoryCheck.Found f : report.changes()) {
                if (f.runNumber() == i + 1) {
                    change = String.format(Locale.ROOT, "%s %+.1f %%%s", f.worse() ? "worse" : "better",
                            f.change().relative() * 100, f.inForce() ? " (in force)" : "");
                }
            }
            String v = Double.isNaN(values[i]) ? "" : HistoryCheck.num(values[i]);
            switch (format) {
                case "csv" -> b.append(i + 1).append(',').append(r.startedAt()).append(',').append(r.commit()).append(',')
                        .append(v).append(',').append(change).append('\n');
                case "md" -> b.append("| ").append(i + 1).append(" | ").append(r.startedAt()).append(" | ")
                        .append(r.commit()).append(" | ").append(v).append(" | ").append(change.isEmpty() ? "" : "**" + change
                        + "**").append(" |\n");
                default -> b.append(String.format(Locale.ROOT, "%-4d %-30s %-12s %12s  %s%n", i + 1, r.startedAt(),
                        r.commit(), v, change.isEmpty() ? "" : "<- " + change));
            }
        }
        if (report.tooLittle() != null) {
            b.append(format.equals("csv") ? "# " : "").append(report.tooLittle()).append('\n');
        }
        return b.toString();
    }

    /**
     * A chart per metric that the runs have (every default metric when {@code metric} is p95, else
     * that one), its changes shaded.
     */
    public static String html(HistoryStore h, String scenario, List<HistoryStore.Run> runs, String metric, String request)
            throws SQLException {
        List<String> labels = runs.stream().map(r -> r.commit().isEmpty() ? r.startedAt().substring(0,
                Math.min(10, r.startedAt().length())) : r.commit()).toList();
        List<String> names = metric.equals("p95") ? HistoryCheck.DEFAULT_METRICS : List.of(metric);
        HistoryCheck.Report all = HistoryCheck.check(h, scenario, names, request);
        List<TrendPage.Metric> charts = new ArrayList<>();
        for (String m : names) {
            double[] v = h.series(runs, HistoryCheck.scope(h, runs, m, request), m);
            if (Arrays.stream(v).allMatch(Double::isNaN)) {
                continue;
            }
            List<TrendPage.Mark> marks = all.changes().stream().filter(f -> f.metric().equals(m))
                    .map(f -> new TrendPage.Mark(f.runNumber(), String.format(Locale.ROOT, "%+.0f %%%s",
                            f.change().relative() * 100, f.inForce() ? " (in force)" : ""), f.worse())).toList();
            charts.add(new TrendPage.Metric(m, TrendPage.unit(m), v, marks));
        }
        String verdict = all.tooLittle() != null ? all.tooLittle() : all.regressed()
                ? "the newest run comes after a regression still in force" : "no regression in force";
        return TrendPage.render(scenario, labels, charts, verdict);
    }
}
