package dev.loadleak.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** What the forced-collection sources read: jcmd's GC.heap_info of each collector, an inspector's target list. */
class ForcedGcParsingTest {
    @Test
    void theHeapInUseOfEachCollector() throws Exception {
        String g1 = " garbage-first heap   total 262144K, used 12345K [0x0000000700000000, 0x0000000800000000)\n"
                + "  region size 1024K, 2 young (2048K), 0 survivors (0K)\n"
                + " Metaspace       used 6030K, committed 6208K, reserved 1114112K\n"
                + "  class space    used 560K, committed 640K, reserved 1048576K\n";
        assertEquals(12345 * 1024.0, JvmGc.usedBytes(g1, 1));
        String serial = " def new generation   total 7424K, used 263K [0x00000000e2a00000, 0x00000000e3200000)\n"
                + "  eden space 6656K,   3% used [0x00000000e2a00000, 0x00000000e2a41f68, 0x00000000e3080000)\n"
                + " tenured generation   total 16384K, used 9000K [0x00000000e3200000, 0x00000000e4200000)\n"
                + " Metaspace       used 6030K, committed 6208K, reserved 1114112K\n";
        assertEquals((263 + 9000) * 1024.0, JvmGc.usedBytes(serial, 1));
        String parallel = " PSYoungGen      total 76288K, used 3932K [0x000000076ab00000, 0x0000000770000000)\n"
                + "  eden space 65536K, 6% used [0x000000076ab00000,0x000000076aed7240,0x000000076eb00000)\n"
                + " ParOldGen       total 175104K, used 100K [0x00000006c0000000, 0x00000006cab00000)\n"
                + " Metaspace       used 6030K, committed 6208K, reserved 1114112K\n";
        assertEquals((3932 + 100) * 1024.0, JvmGc.usedBytes(parallel, 1));
        assertEquals(8 * 1024 * 1024.0, JvmGc.usedBytes(" ZHeap           used 8M, capacity 32M, max capacity 4006M\n"
                + " Metaspace       used 6030K, committed 6208K, reserved 1114112K\n", 1));
        MemoryProbe.ProbeException e = assertThrows(MemoryProbe.ProbeException.class,
                () -> JvmGc.usedBytes("Metaspace used 1K\n", 42));
        assertTrue(e.getMessage().contains("42"));
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
