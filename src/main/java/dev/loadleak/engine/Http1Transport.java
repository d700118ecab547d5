package dev.loadleak.engine;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The lean client: plain HTTP/1.1 straight on Netty, on the stripe's own event loop, for requests
 * on the target's origin. It does what a load generator needs and nothing more: a keep-alive pool
 * of at most {@code maxConnections} channels, requests written from pre-encoded bytes
 * ({@link PreparedRequest#wire}), optional pipelining, and responses framed by
 * {@link Http1ResponseParser} without building header maps or futures. Per request it allocates
 * one small buffer view and nothing else when the request is constant. Over {@code https} each
 * connection gets Netty's {@link SslHandler} (the JDK's TLS; host name checked unless
 * {@code insecure}). HTTP/2, redirects and other origins go through {@link VertxTransport}.
 */
final class Http1Transport implements Transport {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    private final String origin;
    /** For https targets, else null. */
    private final SslContext tls;
    private final int maxConnections;
    private final int depth;
    /** Connections with nothing in flight, most recently used last (reused first: they are warm). */
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();
    /** With pipelining: connections that carry requests but have room for more. */
    private final ArrayDeque<Conn> partial = new ArrayDeque<>();
    private final List<Conn> all = new ArrayList<>();
    private long opened;
    /** "epoll" or "NIO": which Netty transport the event loops run (epoll when Netty's native library loads). */
    private final String io;
    /** Connections that can still carry requests (those being closed no longer count against the bound). */
    private int live;
    private boolean closed;

    Http1Transport(Vertx vertx, Context context, URI target, int maxConnections, int depth, int connectTimeoutMillis,
                   boolean insecure) throws SSLException {
        this.loop = ((ContextInternal) context).nettyEventLoop();
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        this.host = target.getHost();
        this.port = target.getPort() > 0 ? target.getPort() : https ? 443 : 80;
        this.origin = target.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + target.getRawAuthority();
        this.tls = https ? ClientSettings.leanTls(insecure) : null;
        this.maxConnections = maxConnections;
        this.depth = Math.max(1, depth);
        VertxInternal vi = (VertxInternal) vertx;
        this.io = vi.isNativeTransportEnabled() ? "epoll" : "NIO";
        this.bootstrap = new Bootstrap().group(loop).channelFactory(vi.transport().channelFactory(false))
                .resolver(vi.nettyAddressResolverGroup())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, connectTimeoutMillis));
    }

    @Override
    public CompletableFuture<Void> warmUp(URI uri, int timeoutMillis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        String target = uri.getScheme() + "://" + uri.getRawAuthority();
        if (!origin.equalsIgnoreCase(target)) {
            done.complete(null); // another origin: nothing of ours to warm up
            return done;
        }
        String path = PreparedRequest.requestTarget(uri);
        ByteBuf wire = Unpooled.copiedBuffer("GET " + path + " HTTP/1.1\r\nHost: " + uri.getRawAuthority() + "\r\n\r\n",
                StandardCharsets.UTF_8);
        WarmUpExchange w = new WarmUpExchange(done);
        Conn c = pick();
        if (c == null) {
            wire.release();
            done.complete(null);
            return done;
        }
        c.enqueue(w, wire);
        loop.schedule(() -> {
            if (!done.isDone()) {
                abort(w);
                done.complete(null);
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        return done;
    }

    @Override
    public long send(InFlight x, long seq, SplittableRandom random) {
        PreparedRequest pr = x.request();
        Conn c = pick();
        if (c == null) {
            // the engine never has more in flight than connections × depth; a bug must cost one
            // request (reported from the event loop, not from inside the engine's send), never the run
            loop.execute(() -> x.fail(new IllegalStateException("no connection free although fewer requests than "
                    + maxConnections * depth + " are in flight")));
            return 0;
        }
        ByteBuf wire = pr.wire(seq, random, c.ch.alloc(), x.user());
        c.enqueue(x, wire);
        return pr.lastBodyBytes();
    }

    /** A connection with room: an idle one, else a new one, else (pipelining) a busy one with room; null if none. */
    private Conn pick() {
        Conn c;
        while ((c = idle.pollLast()) != null) {
            c.inIdle = false;
            if (!c.dead) {
                return c;
            }
        }
        if (live < maxConnections) {
            return connect();
        }
        while ((c = partial.peekFirst()) != null) {
            boolean room = !c.dead && c.outstanding.size() < depth;
            if (!room || c.outstanding.size() + 1 >= depth) {
                partial.pollFirst(); // full after this request, or unusable
                c.inPartial = false;
            }
            if (room) {
                return c;
            }
        }
        return null;
    }

    private Conn connect() {
        Conn c = new Conn();
        all.add(c);
        opened++;
        live++;
        ChannelFuture f = bootstrap.clone().handler(tls == null ? c : new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
                ssl.handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        c.connected();
                    } else if (c.cause == null) {
                        c.cause = h.cause();
                    }
                });
                ch.pipeline().addLast(ssl, c);
            }
        }).connect(InetSocketAddress.createUnresolved(host, port));
        c.ch = f.channel();
        f.addListener(r -> {
            if (r.isSuccess()) {
                if (tls == null) {
                    c.connected();
                } // over TLS, once the handshake is done
            } else {
                c.cause = r.cause();
                c.kill();
                c.closed(); // a channel that never connected may not fire channelInactive
            }
        });
        return c;
    }

    @Override
    public void abort(InFlight x) {
        Object h = x.handle();
        if (h instanceof Conn c) {
            c.outstanding.remove(x);
            if (!c.dead) {
                c.cause = new Http1Errors.ConnectionClosed("connection was closed by loadleak: an earlier request on it timed out");
                c.kill();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Conn c : new ArrayList<>(all)) {
            c.kill();
        }
    }

    @Override
    public int openConnections() {
        return live;
    }

    @Override
    public long connectionsOpened() {
        return opened;
    }

    @Override
    public String describe() {
        return "lean HTTP/1.1" + (tls != null ? " over TLS" : "") + (depth > 1 ? ", pipelining " + depth : "") + " on " + io;
    }

    /** A connection: its channel's handler, its parser's listener, and its FIFO of requests awaiting answers. */
    private final class Conn extends ChannelInboundHandlerAdapter implements Http1ResponseParser.Events {
        final ArrayDeque<InFlight> outstanding = new ArrayDeque<>(Math.min(depth, 16));
        final Http1ResponseParser parser = new Http1ResponseParser(this, HttpEngine.MAX_RESPONSE_BYTES);
        Channel ch;
        boolean isConnected;
        boolean dead;
        boolean gone;
        boolean inIdle;
        boolean inPartial;
        /** Requests written before the connection was up. */
        ArrayDeque<ByteBuf> unsent;
        Throwable cause;

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
            if (depth > 1 && !inPartial && outstanding.size() < depth) {
                inPartial = true;
                partial.addLast(this);
            }
            if (isConnected) {
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
            if (!dead) {
                dead = true;
                live--;
            }
            ch.close();
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
                if (inPartial) {
                    partial.remove(this);
                    inPartial = false;
                }
                inIdle = true;
                idle.addLast(this);
            } else if (depth > 1 && !inPartial && outstanding.size() < depth) {
                inPartial = true;
                partial.addLast(this);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                if (!dead || !outstanding.isEmpty()) {
                    parser.feed(b);
                }
            } finally {
                b.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
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
            if (!dead) {
                dead = true;
                live--;
            }
            all.remove(this);
            if (inIdle) {
                idle.remove(this);
                inIdle = false;
            }
            if (inPartial) {
                partial.remove(this);
                inPartial = false;
            }
            if (unsent != null) {
                unsent.forEach(ByteBuf::release);
                unsent.clear();
            }
            boolean cut = parser.closed();
            if (closed) {
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
            return x == null || x.request() == null ? KEEP_NONE : x.request().keepHeaders();
        }

        @Override
        public void complete(int status, java.util.List<String> headers, String body, boolean close) {
            InFlight x = outstanding.pollFirst();
            if (close) {
                kill();
            } else {
                available();
            }
            if (x != null) {
                x.response(status, headers, body);
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
                    x.tooLarge();
                } else {
                    x.fail(new Http1Errors.ProtocolError("invalid HTTP response: " + why));
                }
            }
        }
    }
}
