package dev.loadleak.cli;

import dev.loadleak.analysis.HeapDiff;
import dev.loadleak.report.ConsoleSummary;
import dev.loadleak.report.JsonResult;
import dev.loadleak.result.HeapGrowth;
import dev.loadleak.scenario.Redactor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code loadleak heap-diff START END}: what grew between two V8 heap snapshots — the ones a run's
 * {@code evidence: heapSnapshot} wrote, or two taken by hand in Chrome DevTools — by constructor, and
 * who holds the top groups. Read as streams; only type and property names are printed.
 */
@Command(name = "heap-diff", mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  loadleak heap-diff out/heap-v8-start.heapsnapshot out/heap-v8-end.heapsnapshot",
            "  loadleak heap-diff a.heapsnapshot b.heapsnapshot --json growth.json"},
        description = {"What grew between two V8 heap snapshots (.heapsnapshot, from a run's evidence: heapSnapshot or "
            + "Chrome DevTools): the top 20 constructors and types by bytes, and the path from the GC roots that most "
            + "new objects of the top 3 share.",
            "Only type, constructor and property names are printed, never a string's text; a property name that "
                + "looks like data (a session id) shows as [key]."})
public class HeapDiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "START", description = "The earlier snapshot.")
    Path start;
    @Parameters(index = "1", paramLabel = "END", description = "The later snapshot.")
    Path end;
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the diff as JSON (the shape of result.json's "
            + "forcedGc[].heapGrowth).")
    Path json;

    @Override
    public Integer call() {
        for (Path f : new Path[] {start, end}) {
            if (!Files.isRegularFile(f)) {
                throw new LoadleakException(ExitCodes.INVALID_INPUT, "no heap snapshot at " + f);
            }
        }
        long t0 = System.nanoTime();
        HeapGrowth g;
        try {
            g = HeapDiff.of("heap-diff", start, end);
        } catch (IOException | IllegalArgumentException e) {
            throw new LoadleakException(ExitCodes.INVALID_INPUT, "cannot read the heap snapshots " + start + " and " + end
                    + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%,d nodes (%s self size) -> %,d nodes (%s), read and diffed in %.1f s%n", g.nodesStart(),
                ConsoleSummary.bytes(g.bytesStart()), g.nodesEnd(), ConsoleSummary.bytes(g.bytesEnd()),
                (System.nanoTime() - t0) / 1e9);
        ConsoleSummary.heapGrowth(g, out);
        if (json != null) {
            try {
                JsonResult.writeAny(g, json, Redactor.NONE);
            } catch (IOException e) {
                throw new LoadleakException(ExitCodes.COULD_NOT_RUN, "cannot write " + json + ": " + e.getMessage());
            }
            out.println("json: " + json);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
