package dev.loadleak.run;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The prewarm's sink on 127.0.0.1: it answers loadleak's own requests with canned bytes, straight on
 * Netty. An HTTP server stack (Vert.x's, Netty's codecs) would spend a JIT's first seconds compiling
 * its own parser and encoder, on the same two cores, for nothing the run uses: this sink frames a
 * request by its blank line and {@code Content-Length} (all loadleak sends) and writes bytes made
 * once. Its answers take turns at the shapes real servers give ({@link #ANSWERS}), so the client's
 * parser is compiled for all of them and no branch is a trap the run's first answer springs.
 */
final class PrewarmSink implements AutoCloseable {
    static final String BODY = "{\"id\":1,\"title\":\"Media 1\",\"type\":\"video\",\"token\":\"t\"}";
    private static final String DATE = "Wed, 02 Dec 2026 12:00:00 GMT";
    /** Heads after the status line, by turn: like nginx's, a chunked body, a bare one, a framework's with a cookie. */
    private static final String[] ANSWERS = {
        "Server: loadleak-prewarm\r\nDate: " + DATE + "\r\nContent-Type: application/json\r\nContent-Length: "
                + BODY.length() + "\r\nConnection: keep-alive\r\n\r\n" + BODY,
        "Date: " + DATE + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk(BODY.substring(0, BODY.length() / 2)) + chunk(BODY.substring(BODY.length() / 2)) + "0\r\n\r\n",
        "content-type: application/json\r\ncontent-length: " + BODY.length() + "\r\n\r\n" + BODY,
        "Content-Type: application/json; charset=utf-8\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n"
                + "ETag: \"1\"\r\nSet-Cookie: prewarm=1; Path=/; HttpOnly\r\nContent-Length: " + BODY.length()
                + "\r\n\r\n" + BODY,
    };
    private static final ByteBuf BLANK_LINE = Unpooled.unreleasableBuffer(
            Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII).asReadOnly());
    private static final String CONTENT_LENGTH = "\ncontent-length:";
    /** Bytes a connection may send without a blank line: beyond, it is not loadleak. */
    private static final int MAX_HEAD = 64 * 1024;

    /**
     * Every this many answers, a connection is closed after an answer that says so: the run opens its
     * connections in its first second, and a JIT that never saw a connection open or close while it
     * compiled would throw that code away then.
     */
    static final int CLOSE_EVERY = 200;
    /** Made once: [turn][0: 200, 1: 201 (a POST)][0: with body, 1: a HEAD's]; the last turn says close. */
    private static final ByteBuf[][][] WIRE = new ByteBuf[ANSWERS.length + 1][2][2];

    static {
        for (int t = 0; t <= ANSWERS.length; t++) {
            for (int s = 0; s < 2; s++) {
                String full = (s == 0 ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 201 Created\r\n")
                        + (t < ANSWERS.length ? ANSWERS[t] : ANSWERS[0].replace("keep-alive", "close"));
                String head = full.substring(0, full.indexOf("\r\n\r\n") + 4);
                WIRE[t][s][0] = wire(full);
                WIRE[t][s][1] = wire(head);
            }
        }
    }

    private final Channel server;

    private PrewarmSink(Channel server) {
        this.server = server;
    }

    /** Listens on 127.0.0.1 (a free port) on {@code vertx}'s event loops. */
    static PrewarmSink start(Vertx vertx) throws InterruptedException {
        VertxInternal vi = (VertxInternal) vertx;
        Channel ch = new ServerBootstrap().group(vi.getAcceptorEventLoopGroup(), vi.getEventLoopGroup())
                .channelFactory(vi.transport().serverChannelFactory(false))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new Answerer());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return new PrewarmSink(ch);
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    private static String chunk(String s) {
        return Integer.toHexString(s.length()) + "\r\n" + s + "\r\n";
    }

    private static ByteBuf wire(String s) {
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII).asReadOnly());
    }

    /** One connection: its bytes so far, answered a request at a time, in order (pipelining works). */
    private static final class Answerer extends ChannelInboundHandlerAdapter {
        private ByteBuf in;
        private long answered;
        private boolean closing;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            if (closing) {
                b.release(); // answered its last: what follows is dropped with the connection
                return;
            }
            try {
                if (in == null) {
                    in = ctx.alloc().heapBuffer(Math.max(1024, b.readableBytes()));
                }
                in.writeBytes(b);
            } finally {
                b.release();
            }
            while (true) {
                int blank = ByteBufUtil.indexOf(BLANK_LINE, in);
                if (blank < 0) {
                    if (in.readableBytes() > MAX_HEAD) {
                        ctx.close(); // not a request of loadleak's
                    }
                    break;
                }
                int headEnd = blank + 4;
                int request = headEnd - in.readerIndex() + contentLength(in, in.readerIndex(), headEnd);
                if (in.readableBytes() < request) {
                    break; // the body is still coming
                }
                boolean head = in.getByte(in.readerIndex()) == 'H' && in.getByte(in.readerIndex() + 1) == 'E';
                boolean post = in.getByte(in.readerIndex()) == 'P' && in.getByte(in.readerIndex() + 1) == 'O';
                in.skipBytes(request);
                long n = answered++;
                boolean last = n % CLOSE_EVERY == CLOSE_EVERY - 1;
                int shape = last ? ANSWERS.length : (int) (n % ANSWERS.length);
                ByteBuf answer = WIRE[shape][post ? 1 : 0][head ? 1 : 0];
                if (last) {
                    closing = true;
                    in.release();
                    in = null;
                    ctx.writeAndFlush(answer.duplicate()).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                ctx.write(answer.duplicate(), ctx.voidPromise());
            }
            in.discardSomeReadBytes();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (in != null) {
                in.release();
                in = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** The Content-Length of the head {@code [from, to)} (ASCII, any case), 0 without one. */
        private static int contentLength(ByteBuf in, int from, int to) {
            String name = CONTENT_LENGTH;
            for (int at = from; at + name.length() < to; at++) {
                int k = 0;
                while (k < name.length() && Character.toLowerCase((char) (in.getByte(at + k) & 0xff)) == name.charAt(k)) {
                    k++;
                }
                if (k == name.length()) {
                    int n = 0;
                    for (int i = at + k; i < to; i++) {
                        byte c = in.getByte(i);
                        if (c >= '0' && c <= '9') {
                            n = n * 10 + (c - '0');
                        } else if (c != ' ' && c != '\t') {
                            break;
                        }
                    }
                    return n;
                }
            }
            return 0;
        }
    }
}
