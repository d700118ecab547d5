package dev.loadleak.engine;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * WebSockets straight on Netty, on the stripe's own event loop (as the lean HTTP client): Netty's
 * client handshake ({@link WebSocketClientProtocolHandler}: upgrade, its status and accept key
 * checked, pings answered), fragmented messages joined ({@link WebSocketFrameAggregator}, up to
 * {@link #MAX_MESSAGE} bytes), TLS for {@code wss} with the host name checked unless {@code insecure}.
 * A socket costs its channel, its pipeline and one small handler.
 */
final class NettySockets implements RealtimeSockets {
    /** The largest message kept (bigger ones end the connection with a note). */
    static final int MAX_MESSAGE = 1 << 20;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final boolean insecure;
    private final Set<NettySocket> open = new LinkedHashSet<>();
    private SslContext tls;

    NettySockets(Vertx vertx, Context context, boolean insecure) {
        this.loop = ((ContextInternal) context).nettyEventLoop();
        this.insecure = insecure;
        VertxInternal vi = (VertxInternal) vertx;
        this.bootstrap = new Bootstrap().group(loop).channelFactory(vi.transport().channelFactory(false))
                .resolver(vi.nettyAddressResolverGroup())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
    }

    @Override
    public Socket open(URI uri, List<String> headers, List<String> subprotocols, int timeoutMillis, Listener l) {
        boolean secure = "wss".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            h.add(headers.get(i), headers.get(i + 1));
        }
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(subprotocols.isEmpty() ? null : String.join(",", subprotocols))
                .customHeaders(h)
                .handshakeTimeoutMillis(Math.max(1, timeoutMillis))
                .maxFramePayloadLength(MAX_MESSAGE)
                .handleCloseFrames(false)
                .dropPongFrames(true)
                .build();
        NettySocket s = new NettySocket(l);
        SslContext context;
        try {
            context = secure ? tls() : null;
        } catch (SSLException e) {
            loop.execute(() -> s.end("no TLS context: " + e.getMessage()));
            return s;
        }
        open.add(s);
        ChannelFuture f = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.max(1, timeoutMillis))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (context != null) {
                            ch.pipeline().addLast(context.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(MAX_MESSAGE), s);
                    }
                }).connect(host, port);
        s.channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                s.end(ErrorClassifier.describe(done.cause()));
            }
        });
        return s;
    }

    private SslContext tls() throws SSLException {
        if (tls == null) {
            tls = ClientSettings.leanTls(insecure);
        }
        return tls;
    }

    @Override
    public void closeAll() {
        for (NettySocket s : new ArrayList<>(open)) {
            s.close();
        }
    }

    /** One connection: its handler is last in its pipeline; it reports to its listener once it ends. */
    private final class NettySocket extends ChannelInboundHandlerAdapter implements Socket {
        private final Listener listener;
        private Channel channel;
        private boolean opened;
        private boolean ended;

        NettySocket(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void send(String text) {
            if (!ended && channel != null && channel.isActive()) {
                channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
            }
        }

        @Override
        public void close() {
            ended = true;
            open.remove(this);
            if (channel == null) {
                return;
            }
            if (opened && channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        }

        /** Reports the end once (a close of ours reports nothing). */
        void end(String why) {
            if (ended) {
                return;
            }
            ended = true;
            open.remove(this);
            if (channel != null) {
                channel.close();
            }
            listener.closed(why, !opened);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && !ended) {
                opened = true;
                listener.opened(this);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                end("no WebSocket handshake in time");
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (ended) {
                    return;
                }
                if (msg instanceof TextWebSocketFrame t) {
                    listener.text(t.text());
                } else if (msg instanceof CloseWebSocketFrame c) {
                    String reason = c.reasonText();
                    end("the server closed the WebSocket (" + c.statusCode()
                            + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end(opened ? "the server closed the connection" : "the connection closed before the WebSocket upgrade");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            end(ErrorClassifier.describe(cause));
        }
    }
}
