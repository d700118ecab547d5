package dev.loadleak.history;

import java.util.List;
import java.util.Locale;

/** A metric across runs as text, Markdown or CSV: one row a run, the change points marked where they start. */
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
}
