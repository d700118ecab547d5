package dev.loadleak.engine.http1;

import dev.loadleak.engine.ClientSettings;
import dev.loadleak.engine.PreparedRequest;
import dev.loadleak.engine.Transport.InFlight;
import dev.loadleak.engine.WireViews;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One connection of the lean client ({@link Http1Transport} is its pool): its channel's handler, its
 * parser's listener, and its FIFO of requests awaiting answers (more than one with pipelining). It
 * tells the pool when it can take another request and when it is gone; it runs on the pool's event
 * loop only.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter implements Http1ResponseParser.Events {
    private final Http1Transport pool;
    private final EventLoop loop;
    final ArrayDeque<InFlight> outstanding;
    final Http1ResponseParser parser;
    Channel ch;
    boolean isConnected;
    boolean dead;
    boolean gone;
    boolean inIdle;
    boolean inPartial;
    /** In this connection's read: a request written now is flushed once, when the read completes (plain TCP). */
    private boolean reading;
    /** A request was written in the read under way and waits for its flush. */
    private boolean unflushed;
    /** Requests written before the connection was up. */
    ArrayDeque<ByteBuf> unsent;
    Throwable cause;
    /**
     * Its views of constant requests' bytes, reused write after write; null over TLS, whose handler may
     * still hold a written buffer when the channel's own queue is empty.
     */
    private final WireViews views;

    Http1Connection(Http1Transport pool, EventLoop loop, int depth, boolean plain) {
        this.parser = new Http1ResponseParser(this, ClientSettings.MAX_RESPONSE_BYTES, pool.maxKeptBody,
                pool.headScratch);
        this.pool = pool;
        this.loop = loop;
        this.outstanding = new ArrayDeque<>(Math.min(depth, 16));
        this.views = plain ? new WireViews() : null;
    }

    /** Its kept views when everything written before has left (so none of them is still being written), else null. */
    WireViews views() {
        if (views == null || !isConnected) {
            return null;
        }
        ChannelOutboundBuffer queued = ch.unsafe().outboundBuffer();
        return queued != null && queued.totalPendingWriteBytes() == 0 ? views : null;
    }

    void enqueue(InFlight x, ByteBuf wire) {
        if (gone) {
            // the connection failed at once (e.g. refused): report it from the event loop, not
            // from inside the engine's send, so that a dead target cannot recurse the stack
            wire.release();
            Throwable why = cause != null ? cause : new Http1Errors.ConnectionClosed("connection was closed before the request was sent");
            loop.execute(() -> x.fail(why));
            return;
        }
        outstanding.addLast(x);
        x.handle(this);
        pool.partial(this);
        if (isConnected && reading && views != null) {
            // an answer read now let this request go (the next one of a pipeline, or of the same user):
            // the requests of one read leave together, in one write, when the read completes (plain TCP:
            // over TLS, its handler may hand an answer on outside a read, with no completion to flush at)
            ch.write(wire, ch.voidPromise());
            unflushed = true;
        } else if (isConnected) {
            ch.writeAndFlush(wire, ch.voidPromise());
        } else {
            if (unsent == null) {
                unsent = new ArrayDeque<>(2);
            }
            unsent.add(wire);
        }
    }

    /** Takes no more requests, and closes. */
    void kill() {
        takesNoMore();
        ch.close();
    }

    /** The pool no longer counts this connection against its bound (once). */
    private void takesNoMore() {
        if (!dead) {
            dead = true;
            pool.lost();
        }
    }

    void connected() {
        if (dead) {
            return;
        }
        isConnected = true;
        if (unsent != null) {
            for (ByteBuf b; (b = unsent.poll()) != null; ) {
                ch.write(b, ch.voidPromise());
            }
            ch.flush();
        }
    }

    /** After a response: back to the pool if it can take another request. */
    private void available() {
        if (dead) {
            return;
        }
        if (outstanding.isEmpty()) {
            pool.idle(this);
        } else {
            pool.partial(this);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        reading = true;
        try {
            if (!dead || !outstanding.isEmpty()) {
                parser.feed(b);
            }
        } finally {
            b.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (unflushed) {
            unflushed = false;
            ch.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reading = false;
        closed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null) {
            cause = t;
        }
        kill();
    }

    /** The channel is gone: a response delimited by the close completes, the others fail. */
    void closed() {
        if (gone) {
            return;
        }
        gone = true;
        takesNoMore();
        boolean transportClosed = pool.forget(this);
        if (unsent != null) {
            unsent.forEach(ByteBuf::release);
            unsent.clear();
        }
        boolean cut = parser.closed();
        if (transportClosed) {
            outstanding.clear();
            return;
        }
        Throwable why = cause != null ? cause : new Http1Errors.ConnectionClosed(cut
                ? "connection was closed by the target before the response ended"
                : "connection was closed by the target before it answered");
        for (InFlight x; (x = outstanding.poll()) != null; ) {
            x.fail(why);
        }
    }

    @Override
    public Boolean headRequest() {
        InFlight x = outstanding.peekFirst();
        return x == null ? null : x.request() != null && x.request().head();
    }

    @Override
    public boolean keepBody() {
        InFlight x = outstanding.peekFirst();
        return x != null && x.request() != null && x.request().needsBody();
    }

    @Override
    public int keepHeaders() {
        InFlight x = outstanding.peekFirst();
        return x == null || x.request() == null ? PreparedRequest.KEEP_NONE : x.request().keepHeaders();
    }

    @Override
    public void complete(int status, List<String> headers, String body, boolean close) {
        InFlight x = outstanding.pollFirst();
        if (close) {
            kill();
        } else {
            available();
        }
        if (x != null) {
            x.response(status, headers, body);
            x.released(); // polled from the queue: this connection holds it no more
        }
    }

    @Override
    public void error(String why, boolean tooLarge) {
        InFlight x = outstanding.pollFirst();
        if (cause == null) {
            cause = new Http1Errors.ConnectionClosed("connection was closed by loadleak after an unusable response: " + why);
        }
        kill();
        if (x != null) {
            if (tooLarge) {
                x.tooLarge(why);
            } else {
                x.fail(new Http1Errors.ProtocolError("invalid HTTP response: " + why));
            }
        }
    }
}
