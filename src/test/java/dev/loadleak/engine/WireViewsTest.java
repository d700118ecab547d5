package dev.loadleak.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.loadleak.scenario.ScenarioLoader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A connection's kept views of constant requests: the right bytes every time, from the first byte, one view per request. */
class WireViewsTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(1);

    private static String read(ByteBuf b) {
        String s = b.toString(StandardCharsets.US_ASCII);
        b.skipBytes(b.readableBytes()); // as a write that left whole
        b.release(); // as Netty does after the write: the shared bytes must survive it
        return s;
    }

    @Test
    void eachWriteGetsTheWholeRequestFromItsOwnKeptView() throws Exception {
        EnginePlan plan = EnginePlan.of(ScenarioLoader.parse("v.yaml", """
                target: http://127.0.0.1:1
                phases: [{duration: 1s, max: true}]
                requests: [{name: a, path: /a}, {name: b, path: /bee, method: DELETE}, {name: c, path: "/c/${seq}"}]
                """));
        PreparedRequest[] p = PreparedRequest.forPlan(plan);
        WireViews views = new WireViews();
        ByteBuf a1 = p[0].wire(0, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, views);
        String a = read(a1);
        ByteBuf b1 = p[1].wire(1, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, views);
        String b = read(b1);
        ByteBuf a2 = p[0].wire(2, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, views);
        assertSame(a1, a2, "the kept view of a");
        assertEquals(a, read(a2), "read again from its first byte");
        a2 = p[0].wire(3, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, views);
        a2.skipBytes(5); // a write cut short: the next one still starts at the first byte
        assertEquals(a, read(p[0].wire(4, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, views)));
        assertEquals(b, read(p[1].wire(5, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, views)));
        assertEquals("GET /a HTTP/1.1", a.lines().findFirst().orElseThrow());
        assertEquals("DELETE /bee HTTP/1.1", b.lines().findFirst().orElseThrow());
        // a request that varies is rendered afresh each time, views or not
        ByteBuf c1 = p[2].wire(6, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, views);
        ByteBuf c2 = p[2].wire(7, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, views);
        assertNotSame(c1, c2);
        assertEquals("GET /c/6 HTTP/1.1", read(c1).lines().findFirst().orElseThrow());
        assertEquals("GET /c/7 HTTP/1.1", read(c2).lines().findFirst().orElseThrow());
        // without views (something written before still waits to leave), a fresh view each time
        assertNotSame(p[0].wire(8, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, null),
                p[0].wire(9, RANDOM, UnpooledByteBufAllocator.DEFAULT, null, null));
    }
}
