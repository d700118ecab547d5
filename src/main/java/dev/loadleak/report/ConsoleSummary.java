package dev.loadleak.report;

import dev.loadleak.result.ClassGrowth;
import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.FlowResult;
import dev.loadleak.result.ForcedGcResult;
import dev.loadleak.result.HeapGrowth;
import dev.loadleak.result.LeakAnalysis;
import dev.loadleak.result.MemorySeries;
import dev.loadleak.result.RunResult;
import dev.loadleak.result.RunStatus;
import dev.loadleak.result.Stats;
import dev.loadleak.result.Verdict;
import dev.loadleak.scenario.Units;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The end-of-run summary: requests table, memory verdicts, every criterion, the verdict. */
public final class ConsoleSummary {
    private static final String HEAD = "%-22s %8s %9s %7s %8s %8s %8s %8s %8s %8s%n";

    private ConsoleSummary() {
    }

    public static void render(RunResult r, PrintWriter out) {
        tables(r, out);
        flows(r, out);
        totals(r, out);
        if (r.warnings() != null) {
            for (String w : r.warnings()) {
                out.println("warning: " + w);
            }
        }
        memory(r, out);
        if (!r.scoring().criteria().isEmpty()) {
            out.println("criteria:");
            for (CriterionResult c : r.scoring().criteria()) {
                out.println("  " + criterionLine(c));
            }
        }
        out.printf(Locale.ROOT, "verdict: %s (score %d)%s%n", r.scoring().verdict().display(), r.scoring().score(),
                r.scoring().verdictReasons().isEmpty() || r.scoring().verdict() == Verdict.GO && r.scoring().criteria().isEmpty()
                        && r.status() == RunStatus.COMPLETED ? "" : " — " + r.scoring().verdictReasons().get(0));
        out.flush();
    }

    /**
     * {@code PASS required p95 < 100ms, actual 2.76 ms}: the outcome word first (coloured on a
     * terminal), once; what follows the word in the message (how far over, why inconclusive) kept.
     */
    static String criterionLine(CriterionResult c) {
        String m = c.message();
        String word = c.word();
        int at = m.lastIndexOf(" — " + word);
        String rest = at < 0 ? m : m.substring(0, at) + m.substring(at + 3 + word.length());
        return word + " " + rest;
    }

    /** The head line, the phases, and the latency table per request, overall and per phase. */
    private static void tables(RunResult r, PrintWriter out) {
        RunResult.ScenarioInfo scenario = r.provenance().scenario();
        RunResult.Load load = r.load();
        out.printf(Locale.ROOT, "%nloadleak: %s -> %s, %s after %.1f s%n", scenario.name(), scenario.target(),
                r.status().json(), load.durationSeconds());
        if (scenario.phases().size() > 1 || scenario.phases().get(0).warmup()) {
            out.println("phases: " + scenario.phases().stream()
                    .map(p -> p.name() + " (" + p.model() + ", " + fmtSeconds(p.durationSeconds())
                            + (p.warmup() ? ", warm-up: not scored" : "") + ")")
                    .collect(Collectors.joining(" · ")));
        }
        out.printf(Locale.ROOT, HEAD, "request", "count", "req/s", "err %", "p50", "p90", "p95", "p99", "p99.9", "max");
        for (Map.Entry<String, Stats> e : load.requests().entrySet()) {
            rows(out, e.getKey(), e.getValue());
        }
        rows(out, "ALL", load.overall());
        boolean closed = scenario.phases().stream().anyMatch(p -> !p.latencyLabel().equals("corrected"));
        out.println("latency is corrected for coordinated omission (from the intended send time"
                + (closed ? "; closed and max phases: against the expected interval" : "")
                + "); 'uncorrected' rows time from the actual send");
        if (scenario.phases().size() > 1) {
            for (Map.Entry<String, Stats> e : load.phases().entrySet()) {
                rows(out, "phase " + e.getKey(), e.getValue());
            }
        }
    }

    /** Per flow: iterations by outcome, skipped steps, iteration duration; then setup and teardown. */
    private static void flows(RunResult r, PrintWriter out) {
        if (r.userFlows().flows() != null && !r.userFlows().flows().isEmpty()) {
            out.printf(Locale.ROOT, "%-22s %8s %9s %7s %7s %7s %7s %8s %8s %8s%n", "flow (iterations)", "started",
                    "completed", "failed", "aborted", "fail %", "skipped", "p50", "p95", "p99");
            for (FlowResult f : r.userFlows().flows().values()) {
                Stats.Latency d = f.durationMicros();
                out.printf(Locale.ROOT, "%-22s %8d %9d %7d %7d %7.2f %7d %8s %8s %8s%n", f.name(), f.started(),
                        f.completed(), f.failed(), f.aborted(), f.failureRate() * 100, f.skipped(),
                        d == null ? "-" : f(d.corrected().p50()), d == null ? "-" : f(d.corrected().p95()),
                        d == null ? "-" : f(d.corrected().p99()));
                if (d != null) {
                    out.printf(Locale.ROOT, "%-22s %8s %9s %7s %7s %7s %7s %8s %8s %8s%n", "  uncorrected", "", "", "",
                            "", "", "", f(d.uncorrected().p50()), f(d.uncorrected().p95()), f(d.uncorrected().p99()));
                }
                if (f.realtime() != null) {
                    out.println("  " + HtmlFlows.realtimeLine(f.realtime()));
                }
                if (!f.skippedByStep().isEmpty()) {
                    out.println("  skipped by step: " + f.skippedByStep().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
                }
            }
            out.println("iteration duration is corrected from each iteration's intended start; a step's latency from "
                    + "when it was due");
        }
        if (r.userFlows().setup() != null) {
            for (FlowResult.SetupStep s : r.userFlows().setup()) {
                out.printf(Locale.ROOT, "%s %s: %s %s -> %s in %.1f ms%s%n", s.stage(), s.name(), s.method(), s.path(),
                        s.status() == 0 ? "no answer" : Integer.toString(s.status()), s.millis(),
                        s.ok() ? "" : " — FAILED: " + s.error());
            }
        }
    }

    /** Counts, upload, connections, loadleak's own use and its send lag. */
    private static void totals(RunResult r, PrintWriter out) {
        RunResult.Load load = r.load();
        Stats o = load.overall();
        out.printf(Locale.ROOT, "requests: %d%s, %d ok, %d failed%s%n", o.requests(),
                load.intendedRequests() > 0 && r.provenance().scenario().phases().stream().noneMatch(p -> p.warmup())
                        ? " of " + load.intendedRequests() + " intended" : "", o.successes(), o.errors(), errorText(r));
        if (o.uploadBytes() > 0) {
            out.printf(Locale.ROOT, o.uploadBytes() >= 1e6 ? "uploaded: %.1f MB at %.2f MB/s%n"
                    : "uploaded: %.1f KB at %.3f MB/s%n", o.uploadBytes() >= 1e6 ? o.uploadBytes() / 1e6
                    : o.uploadBytes() / 1e3, o.uploadMBPerSecond());
        }
        if (load.connectionsOpened() > 0) {
            out.printf(Locale.ROOT, "connections opened: %d%n", load.connectionsOpened());
        }
        if (r.provenance().generator() != null) {
            var g = r.provenance().generator();
            out.printf(Locale.ROOT, "loadleak itself: %s CPU-seconds (%.0f %% of %d cores, %d event loops%s)%s%n",
                    String.format(Locale.ROOT, "%.1f", g.cpuSeconds()), g.cpuShare() * 100, g.cores(), g.eventLoops(),
                    g.client() == null || g.client().isEmpty() ? "" : ", client: " + g.client(),
                    g.peakRssBytes() > 0 ? String.format(Locale.ROOT, ", peak RSS %.0f MB", g.peakRssBytes() / 1048576.0)
                            : "");
        }
        out.printf(Locale.ROOT, "late sends (> 10 ms after intended): %d%s%n", o.lateSends(),
                load.sendLagMicros() == null ? "" : ", send lag p99 " + Units.formatMicros(load.sendLagMicros().p99())
                        + ", max " + Units.formatMicros(load.sendLagMicros().max()));
        if (o.requests() > 0 && o.successes() == 0) {
            out.printf(Locale.ROOT, "all %d requests failed%s: no success latency to report%s%n", o.requests(),
                    o.errorsByKind().isEmpty() ? "" : ": " + String.join(", ", o.errorsByKind().keySet()),
                    o.errorLatencyMicros() == null ? "" : "; the failed answers came back in p50 "
                            + Units.formatMicros(o.errorLatencyMicros().p50()) + ", p99 "
                            + Units.formatMicros(o.errorLatencyMicros().p99()));
        }
    }

    private static void memory(RunResult r, PrintWriter out) {
        if (r.targetMemory().memory() == null || r.targetMemory().memory().isEmpty()) {
            return;
        }
        out.println("memory:");
        for (MemorySeries m : r.targetMemory().memory()) {
            double max = m.samples().stream().mapToDouble(p -> p[1]).max().orElse(0);
            int gaps = m.gaps().stream().mapToInt(MemorySeries.Gap::count).sum();
            out.printf(Locale.ROOT, "  %s (%s%s): %d samples, max %.1f MB, %d gap%s%s%n", m.source(), m.kind(),
                    m.postGc() ? ", post-GC" : "", m.analysis() == null ? m.samples().size() : m.analysis().samplesUsed(),
                    max / (1024 * 1024), gaps, gaps == 1 ? "" : "s",
                    m.gaps().isEmpty() ? "" : " (first: " + m.gaps().get(0).reason() + ")");
            LeakAnalysis a = m.analysis();
            if (a != null) {
                out.printf(Locale.ROOT, "    %s: %s%n", a.verdict(), String.join("; ", a.reasons()));
            }
            if (m.retained() != null) {
                out.println("    " + retainedText(m.retained()));
            }
            m.growthLines().forEach(l -> out.println("    " + l));
        }
        if (r.targetMemory().classGrowth() != null) {
            r.targetMemory().classGrowth().forEach(g -> classGrowth(g, out));
        }
        if (r.targetMemory().forcedGc() != null) {
            r.targetMemory().forcedGc().forEach(f -> forcedGc(f, out));
        }
    }

    /** What a target made to collect really kept: per request, the pauses it cost, and what grew / who holds it. */
    private static void forcedGc(ForcedGcResult f, PrintWriter out) {
        out.printf(Locale.ROOT, "  %s, made to collect %d times (%s)%s%n", f.source(), f.collections(), f.how(),
                f.pauseMillis() == null ? "" : String.format(Locale.ROOT, ": each pause %.0f ms median, %.0f ms max",
                        f.pauseMillis()[0], f.pauseMillis()[1]));
        if (f.error() != null) {
            out.println("    forced collections stopped: " + f.error());
        }
        if (f.bytesPerRequest() == null) {
            out.printf(Locale.ROOT, "    %s: %s%n", f.verdict(), String.join("; ", f.reasons()));
        } // else its series "(forced GC)" above said the verdict and what a request keeps
        if (f.heapGrowth() != null) {
            heapGrowth(f.heapGrowth(), out);
        }
    }

    /** What grew between two heap snapshots, top 10 by bytes, and who holds the top groups: type names only. */
    public static void heapGrowth(HeapGrowth g, PrintWriter out) {
        if (g.error() != null) {
            out.println("    no heap snapshot diff: " + g.error());
            return;
        }
        out.printf(Locale.ROOT, "    what grew (heap snapshots %s and %s), top %d by bytes:%n", g.startFile(), g.endFile(),
                Math.min(10, g.top().size()));
        for (HeapGrowth.Group row : g.top().subList(0, Math.min(10, g.top().size()))) {
            out.printf(Locale.ROOT, "    %10s  %+,12d objects  %s%n", "+" + bytes(row.bytesDelta()), row.countDelta(),
                    row.name());
        }
        for (HeapGrowth.Retainers t : g.retainers()) {
            out.printf(Locale.ROOT, "    who holds %s (%d of %d new ones sampled%s): %s%n", t.group(), t.sharing(),
                    t.sampled(), t.onlyBookkeeping() == 0 ? "" : "; " + t.onlyBookkeeping()
                            + " only in V8's string table or caches, such as property keys", t.path());
        }
    }

    /** The top classes by byte growth, one line each: bytes, instances, class. */
    private static void classGrowth(ClassGrowth g, PrintWriter out) {
        if (g.error() != null) {
            out.printf(Locale.ROOT, "  what grew in %s: no class histogram (%s)%n", g.source(), g.error());
            return;
        }
        out.printf(Locale.ROOT, "  what grew in %s (pid %d, jcmd GC.class_histogram at %.0f s and %.0f s), top %d by bytes:%n",
                g.source(), g.pid(), g.fromSecond(), g.toSecond(), g.byBytes().size());
        for (ClassGrowth.Row row : g.byBytes()) {
            out.printf(Locale.ROOT, "    %10s  %+,12d instances  %s%n", "+" + bytes(row.bytesDelta()), row.instancesDelta(),
                    row.className());
        }
    }

    /** "≈ 331 B retained per request (95 % CI 276 B–396 B)". */
    public static String retainedText(MemorySeries.Retained r) {
        return String.format(Locale.ROOT, "≈ %s retained per %s (95 %% CI %s–%s)", bytes(r.bytes()), r.per(),
                bytes(r.ci95()[0]), bytes(r.ci95()[1]));
    }

    /** "331 B", "2.0 KB", "1.5 MB" (1 KB = 1024 B), signed. */
    public static String bytes(double b) {
        double a = Math.abs(b);
        if (a < 1024) {
            return String.format(Locale.ROOT, "%.0f B", b);
        }
        if (a < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.1f MB", b / (1024 * 1024));
    }

    private static String fmtSeconds(double s) {
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static String errorText(RunResult r) {
        RunResult.Load load = r.load();
        if (load.overall().errorsByKind().isEmpty()) {
            return "";
        }
        return " (" + load.overall().errorsByKind().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()
                        + (load.errorSamples().containsKey(e.getKey()) ? ": " + load.errorSamples().get(e.getKey()) : ""))
                .collect(Collectors.joining("; ")) + ")";
    }

    private static void rows(PrintWriter out, String name, Stats s) {
        String pct = String.format(Locale.ROOT, "%.2f", s.errorRate() * 100);
        String rate = String.format(Locale.ROOT, "%.1f", s.throughputPerSecond());
        String label = name.length() > 22 ? name.substring(0, 21) + "…" : name;
        if (s.latencyMicros() == null) {
            out.printf(Locale.ROOT, HEAD, label, s.requests(), rate, pct, "-", "-", "-", "-", "-", "-");
        } else {
            Stats.Summary c = s.latencyMicros().corrected();
            Stats.Summary u = s.latencyMicros().uncorrected();
            out.printf(Locale.ROOT, HEAD, label, s.requests(), rate, pct, f(c.p50()), f(c.p90()), f(c.p95()), f(c.p99()),
                    f(c.p999()), f(c.max()));
            out.printf(Locale.ROOT, HEAD, "  uncorrected", "", "", "", f(u.p50()), f(u.p90()), f(u.p95()), f(u.p99()),
                    f(u.p999()), f(u.max()));
        }
        // how fast the failed answers came back: the first question in a 5xx storm
        Stats.Summary e = s.errorLatencyMicros();
        if (e != null) {
            out.printf(Locale.ROOT, HEAD, "  errors answered in", "", "", "", f(e.p50()), f(e.p90()), f(e.p95()), f(e.p99()),
                    f(e.p999()), f(e.max()));
        }
    }

    private static String f(long micros) {
        return Units.formatMicros(micros);
    }
}
