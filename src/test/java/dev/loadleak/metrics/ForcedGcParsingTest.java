package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** What the forced-collection sources read: the live bytes of jcmd's class histogram, an inspector's target list. */
class ForcedGcParsingTest {
    @Test
    void theLiveBytesOfAClassHistogram() throws Exception {
        String histogram = "29503:\n num     #instances         #bytes  class name (module)\n"
                + "-------------------------------------------------------\n"
                + "   1:          9321        2415088  [B (java.base@17.0.15)\n"
                + "   2:          8310         199440  java.lang.String (java.base@17.0.15)\n"
                + "2003:             1             16  sun.util.locale.InternalLocaleBuilder$CaseInsensitiveChar\n"
                + "Total        130859        7939224\n";
        assertEquals(7939224.0, JvmGc.liveBytes(histogram, 1));
        MemoryProbe.ProbeException e = assertThrows(MemoryProbe.ProbeException.class,
                () -> JvmGc.liveBytes("29503:\nCommand executed successfully\n", 42));
        assertTrue(e.getMessage().contains("42") && e.getMessage().contains("Total"), e.getMessage());
    }

    @Test
    void anInspectorIsFollowedOnlyToItsOwnAddress() throws Exception {
        String list = "[{\"description\":\"node.js instance\",\"type\":\"node\",\"webSocketDebuggerUrl\":"
                + "\"ws://127.0.0.1:9229/0f2c936f-b1cd-4ac9-aab3-f63b0f33d55e\"}]";
        assertEquals(URI.create("ws://127.0.0.1:9229/0f2c936f-b1cd-4ac9-aab3-f63b0f33d55e"),
                DevTools.debuggerUrl(list, "127.0.0.1", 9229));
        String elsewhere = list.replace("127.0.0.1:9229", "10.0.0.8:9229");
        DevTools.DevToolsException e = assertThrows(DevTools.DevToolsException.class,
                () -> DevTools.debuggerUrl(elsewhere, "127.0.0.1", 9229));
        assertTrue(e.getMessage().contains("does not follow"), e.getMessage());
        assertThrows(DevTools.DevToolsException.class, () -> DevTools.debuggerUrl("[]", "127.0.0.1", 9229));
        assertThrows(DevTools.DevToolsException.class, () -> DevTools.debuggerUrl("<html>", "127.0.0.1", 9229));
    }
}
