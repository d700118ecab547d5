package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesFilesTest {
    @Test
    void csvWithHeaderAndSeconds() {
        SeriesFiles.Named n = SeriesFiles.parse("m.csv", "time,bytes\n10,100\n11,200\n12,300\n").get(0);
        assertArrayEquals(new double[] {0, 1, 2}, n.seconds());
        assertArrayEquals(new double[] {100, 200, 300}, n.values());
    }

    @Test
    void csvWithIsoTimesOrEpochMillis() {
        SeriesFiles.Named iso = SeriesFiles.parse("m.csv",
                "2026-11-22T00:00:00Z,1\n2026-11-22T00:00:30Z,2\n").get(0);
        assertArrayEquals(new double[] {0, 30}, iso.seconds());
        SeriesFiles.Named ms = SeriesFiles.parse("m.csv", "1795306700000;5\n1795306701500;6\n").get(0);
        assertArrayEquals(new double[] {0, 1.5}, ms.seconds(), 1e-9);
    }

    @Test
    void prometheusRangeQuery() {
        String json = """
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"__name__":"nodejs_heap_size_used_bytes","instance":"a"},"values":[[1700000000,"100"],[1700000015,"110"]]},
                  {"metric":{"__name__":"nodejs_heap_size_used_bytes","instance":"b"},"values":[[1700000000,"7"],[1700000015,"NaN"]]}]}}
                """;
        List<SeriesFiles.Named> s = SeriesFiles.parse("q.json", json);
        assertEquals(2, s.size());
        assertEquals("nodejs_heap_size_used_bytes{instance=\"a\"}", s.get(0).name());
        assertArrayEquals(new double[] {0, 15}, s.get(0).seconds());
        assertArrayEquals(new double[] {100, 110}, s.get(0).values());
        assertEquals(1, s.get(1).values().length, "NaN samples are skipped");
    }

    @Test
    void errorsNameTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeriesFiles.parse("m.csv", "time,bytes\n1,2\n2,lots\n"));
        assertEquals("m.csv:3: expected time,bytes with numbers, got \"2,lots\"", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeriesFiles.parse("m.csv", "1\n"))
                .getMessage().startsWith("m.csv:1: expected time,bytes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeriesFiles.parse("m.csv", "\n\n"))
                .getMessage().contains("no samples"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeriesFiles.parse("q.json", "{\"data\":{}}"))
                .getMessage().contains("expected a Prometheus range query"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeriesFiles.parse("m.csv", "1,-5\n"))
                .getMessage().contains("bytes must be a number >= 0"));
    }
}
