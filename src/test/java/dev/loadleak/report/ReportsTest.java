package dev.loadleak.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loadleak.analysis.CriteriaEvaluator;
import dev.loadleak.analysis.SyntheticRuns;
import dev.loadleak.result.CriterionResult;
import dev.loadleak.result.RunResult;
import dev.loadleak.scenario.CriteriaParser;
import dev.loadleak.scenario.Criterion;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportsTest {
    static RunResult scored() {
        RunResult r = SyntheticRuns.run(5, 5_000, 1.0, 200, 0.01);
        CriteriaParser.Context ctx = new CriteriaParser.Context(Set.of("list"), Set.of("steady"), Set.of(), false);
        List<Criterion> cs = List.of(CriteriaParser.parse("p95 < 5ms", Criterion.Level.REQUIRED, 1, ctx),
                CriteriaParser.parse("error_rate < 2%", Criterion.Level.REQUIRED, 1, ctx),
                CriteriaParser.parse("throughput > 100/s", Criterion.Level.TARGET, 1, ctx));
        CriteriaEvaluator.Outcome o = CriteriaEvaluator.evaluate(cs, r);
        return r.withScore(o.results(), o.score(), o.verdict(), o.reasons());
    }

    /**
     * The typed levels, outcomes and leak findings are words at the JSON edge, the same as when they were strings
     * (schemaVersion 1): written, read back equal, and a result written before {@code outcome} existed still reads.
     */
    @Test
    void typedVerdictsAreTheSameWordsInResultJson() throws Exception {
        RunResult r = scored();
        String json = JsonResult.toJson(r);
        assertTrue(json.contains("\"level\" : \"required\""), json);
        assertTrue(json.contains("\"level\" : \"target\""), json);
        assertTrue(json.contains("\"outcome\" : \"fail\"") && json.contains("\"outcome\" : \"pass\""), json);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("result", ".json");
        try {
            java.nio.file.Files.writeString(file, json);
            RunResult back = JsonResult.read(file);
            assertEquals(r.scoring().criteria(), back.scoring().criteria());
            java.nio.file.Files.writeString(file, json.replaceAll(",\\s*\"outcome\" : \"[a-z]+\"", ""));
            RunResult old = JsonResult.read(file);
            assertEquals(r.scoring().criteria().stream().map(CriterionResult::outcomeOrPass).toList(),
                    old.scoring().criteria().stream().map(CriterionResult::outcomeOrPass).toList());
            assertTrue(old.scoring().criteria().stream().allMatch(c -> c.outcome() == null));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void junitHasOneTestcasePerCriterionWithRequiredAndActual() throws Exception {
        String xml = JunitReport.render(scored());
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(3, d.getElementsByTagName("testcase").getLength());
        assertEquals(1, d.getElementsByTagName("failure").getLength());
        String msg = d.getElementsByTagName("failure").item(0).getAttributes().getNamedItem("message").getNodeValue();
        assertTrue(msg.startsWith("required p95 < 5ms, actual "), msg);
        assertEquals("1", d.getElementsByTagName("testsuite").item(0).getAttributes().getNamedItem("failures").getNodeValue());
    }

    @Test
    void markdownAndCsv() {
        String md = MarkdownReport.render(scored());
        assertTrue(md.startsWith("### ❌ loadleak: NO-GO"), md);
        assertTrue(md.contains("| ❌ required | `p95 < 5ms` |"), md);
        String csv = CsvTimeline.render(scored());
        assertEquals(61, csv.split("\n").length);
        assertTrue(csv.startsWith("second,requests,errors,p50_us,p95_us,p99_us,max_us\n0,200,"), csv);
    }

    @Test
    void htmlIsSelfContainedAndCarriesEverySection() {
        String html = HtmlReport.render(scored());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<header class='nogo'><h1>NO-GO"), html.substring(0, 600));
        for (String s : List.of("Criteria", "Requests", "Phases", "Throughput and errors per second",
                "Latency per second (corrected)", "Latency by percentile (HdrHistogram)", "Scenario and environment")) {
            assertTrue(html.contains(s), s);
        }
        // one inline script (hover read-outs), nothing fetched: no src=, no URL of a CDN
        assertEquals(1, html.split("<script>", -1).length - 1, "one inline script");
        assertTrue(!html.contains("<script src") && !html.contains("http://cdn") && !html.contains("https://"),
                "nothing fetched");
        assertTrue(html.contains(">99%<") && html.contains(">99.9%<"), "the percentile axis is labelled 90 %, 99 %, 99.9 %");
    }

    @Test
    void totalsHlogIsReadableByHdrHistogram() {
        String hlog = Reports.render(scored(), "hlog");
        HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(hlog.getBytes(StandardCharsets.UTF_8)));
        var first = reader.nextIntervalHistogram();
        var second = reader.nextIntervalHistogram();
        assertEquals("corrected", first.getTag());
        assertEquals("uncorrected", second.getTag());
        assertEquals(scored().load().overall().successes(), ((org.HdrHistogram.Histogram) first).getTotalCount());
    }

    @Test
    void longTimelinesAreDownsampledForTheCharts() {
        List<dev.loadleak.result.TimelinePoint> day = new java.util.ArrayList<>();
        for (int s = 0; s < 86_400; s++) {
            day.add(new dev.loadleak.result.TimelinePoint(s, 100, 0, 1000, 2000, 3000, 5000 + (s == 50_000 ? 1_000_000 : 0)));
        }
        List<dev.loadleak.result.TimelinePoint> d = dev.loadleak.result.TimelinePoint.downsample(day, HtmlReport.MAX_POINTS);
        assertTrue(d.size() <= HtmlReport.MAX_POINTS, "" + d.size());
        assertTrue(d.stream().anyMatch(p -> p.max() == 1_005_000), "a spike survives downsampling");
        assertEquals(100, d.get(10).requests());
    }
}
