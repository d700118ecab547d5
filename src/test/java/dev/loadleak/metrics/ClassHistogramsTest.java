package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loadleak.result.ClassGrowth;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** jcmd's class histogram, read and diffed: what grew, by bytes and by instances. */
class ClassHistogramsTest {
    private static final String BEFORE = """
            5996:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          7193         332264  [B (java.base@17.0.15)
               2:          1425         175656  java.lang.Class (java.base@17.0.15)
               3:          7111         170664  java.lang.String (java.base@17.0.15)
               4:           879          90400  [Ljava.lang.Object; (java.base@17.0.15)
            Total         16608         768984
            """;
    private static final String AFTER = """
            5996:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         17193       20812264  [B (java.base@17.0.15)
               2:          1425         175656  java.lang.Class (java.base@17.0.15)
               3:         12111         290664  java.lang.String (java.base@17.0.15)
               4:           880         130400  [Ljava.lang.Object; (java.base@17.0.15)
               5:            10            400  com.example.Cache$Entry
            Total         31619       21409384
            """;

    @Test
    void parsesEveryRow() throws Exception {
        Map<String, long[]> h = ClassHistograms.parse(BEFORE, 5996);
        assertEquals(4, h.size());
        assertArrayEquals(new long[] {7193, 332264}, h.get("[B"));
        assertArrayEquals(new long[] {879, 90400}, h.get("[Ljava.lang.Object;"));
        assertThrows(ClassHistograms.HistogramException.class, () -> ClassHistograms.parse("5996:\nnothing\n", 5996));
    }

    @Test
    void theTopGrowersByBytesAndByInstances() throws Exception {
        ClassGrowth g = ClassGrowth.of("target", 5996, 3, 30, ClassHistograms.parse(BEFORE, 5996),
                ClassHistograms.parse(AFTER, 5996));
        assertEquals("[B", g.byBytes().get(0).className());
        assertEquals(20_480_000, g.byBytes().get(0).bytesDelta());
        assertEquals(10_000, g.byBytes().get(0).instancesDelta());
        assertEquals(4, g.byBytes().size(), "java.lang.Class did not grow");
        assertEquals("[B", g.byInstances().get(0).className());
        assertEquals("java.lang.String", g.byInstances().get(1).className());
        assertEquals("com.example.Cache$Entry", g.byInstances().get(2).className(), "a new class grew from nothing");
    }
}
