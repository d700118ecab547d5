package dev.loadleak.engine.http1;

import dev.loadleak.engine.ClientSettings;
import dev.loadleak.engine.PreparedRequest;
import dev.loadleak.engine.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
 * {@link Http1ResponseParser} without building header maps or futures; each connection is an
 * {@link Http1Connection}, this class is their pool. Per request it allocates
 * one small buffer view and nothing else when the request is constant. Over {@code https} each
 * connection gets Netty's {@link SslHandler} (the JDK's TLS; host name checked unless
 * {@code insecure}). HTTP/2, redirects and other origins go through {@link VertxTransport}.
 */
public final class Http1Transport implements Transport {
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
    private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
    /** With pipelining: connections that carry requests but have room for more. */
    private final ArrayDeque<Http1Connection> partial = new ArrayDeque<>();
    private final List<Http1Connection> all = new ArrayList<>();
    private long opened;
    /** "io_uring", "epoll" or "NIO": which Netty transport the event loops run ({@code --transport}). */
    private final String io;
    /** Connections that can still carry requests (those being closed no longer count against the bound). */
    private int live;
    private boolean closed;

    /** The most of a response body kept for extraction and checks ({@code defaults.maxBody}). */
    final long maxKeptBody;
    /** What each connection's parser copies a head into, one for the pool's connections: they share its event loop. */
    final byte[] headScratch = new byte[Http1ResponseParser.SCRATCH];

    public Http1Transport(Vertx vertx, Context context, URI target, int maxConnections, int depth, int connectTimeoutMillis,
                   boolean insecure, long maxKeptBody) throws SSLException {
        this.maxKeptBody = maxKeptBody;
        this.loop = ((ContextInternal) context).nettyEventLoop();
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        this.host = target.getHost();
        this.port = target.getPort() > 0 ? target.getPort() : https ? 443 : 80;
        this.origin = target.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + target.getRawAuthority();
        this.tls = https ? ClientSettings.leanTls(insecure) : null;
        this.maxConnections = maxConnections;
        this.depth = Math.max(1, depth);
        VertxInternal vi = (VertxInternal) vertx;
        this.io = !vi.isNativeTransportEnabled() ? "NIO"
                : vi.transport().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT).contains("uring") ? "io_uring"
                : "epoll";
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
        Http1Connection c = pick();
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
        Http1Connection c = pick();
        if (c == null) {
            // the engine never has more in flight than connections × depth; a bug must cost one
            // request (reported from the event loop, not from inside the engine's send), never the run
            loop.execute(() -> x.fail(new IllegalStateException("no connection free although fewer requests than "
                    + maxConnections * depth + " are in flight")));
            return 0;
        }
        ByteBuf wire = pr.wire(seq, random, c.ch.alloc(), x.user(), c.views());
        c.enqueue(x, wire);
        return pr.lastBodyBytes();
    }

    /** A connection with room: an idle one, else a new one, else (pipelining) a busy one with room; null if none. */
    private Http1Connection pick() {
        Http1Connection c;
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

    private Http1Connection connect() {
        Http1Connection c = new Http1Connection(this, loop, depth, tls == null);
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
        if (h instanceof Http1Connection c) {
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
        for (Http1Connection c : new ArrayList<>(all)) {
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

    // ---- what a connection tells its pool ----

    /** {@code c} takes no more requests: it no longer counts against the bound. */
    void lost() {
        live--;
    }

    /** {@code c} has nothing in flight: it is reused first (most recently used last). */
    void idle(Http1Connection c) {
        if (c.inPartial) {
            partial.remove(c);
            c.inPartial = false;
        }
        c.inIdle = true;
        idle.addLast(c);
    }

    /** With pipelining: {@code c} carries requests and has room for more. */
    void partial(Http1Connection c) {
        if (depth > 1 && !c.inPartial && c.outstanding.size() < depth) {
            c.inPartial = true;
            partial.addLast(c);
        }
    }

    /** {@code c}'s channel is gone: it leaves every list; returns whether the whole transport was closed. */
    boolean forget(Http1Connection c) {
        all.remove(c);
        if (c.inIdle) {
            idle.remove(c);
            c.inIdle = false;
        }
        if (c.inPartial) {
            partial.remove(c);
            c.inPartial = false;
        }
        return closed;
    }
}
