package dev.loadleak.engine;

import io.netty.buffer.ByteBuf;

/**
 * One connection's views of constant requests' bytes, kept for reuse. A constant request's bytes are
 * shared by every connection, and each write needs a view of its own (its own read index); a view
 * whose write has ended may serve the next write of the same request on the same connection, so a
 * steady run allocates none per request. The caller hands these to
 * {@link PreparedRequest#wire(long, java.util.SplittableRandom, io.netty.buffer.ByteBufAllocator, StepContext, WireViews)}
 * only when nothing it wrote before is still waiting to leave; it keeps a few requests (a mix of
 * more takes a fresh view for the others). Touched on the connection's event loop only.
 */
public final class WireViews {
    private static final int KEPT = 8;
    private final PreparedRequest[] of = new PreparedRequest[KEPT];
    private final ByteBuf[] views = new ByteBuf[KEPT];
    private int size;

    /** A view of {@code shared} (the bytes of {@code pr}) from its first byte: a kept one, else a new one. */
    ByteBuf view(PreparedRequest pr, ByteBuf shared) {
        for (int i = 0; i < size; i++) {
            if (of[i] == pr) {
                ByteBuf v = views[i];
                v.setIndex(shared.readerIndex(), shared.writerIndex());
                return v;
            }
        }
        ByteBuf v = shared.duplicate();
        if (size < KEPT) {
            of[size] = pr;
            views[size++] = v;
        }
        return v;
    }
}
