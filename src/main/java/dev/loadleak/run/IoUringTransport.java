package dev.loadleak.run;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.incubator.channel.uring.IOUring;
import io.netty.incubator.channel.uring.IOUringDatagramChannel;
import io.netty.incubator.channel.uring.IOUringEventLoopGroup;
import io.netty.incubator.channel.uring.IOUringServerSocketChannel;
import io.netty.incubator.channel.uring.IOUringSocketChannel;
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Netty's io_uring transport (the 4.1 incubator) as a Vert.x transport, for the engine's own Vert.x
 * only ({@code --transport io_uring}). It is not registered as a service: the application's Vert.x
 * (serve, the built-in target) keeps epoll whatever is on the class path. Made by name from
 * {@link EngineRuntime}, so that a build or a machine without io_uring runs on, with a note.
 */
public final class IoUringTransport implements Transport {
    @Override
    public boolean isAvailable() {
        return IOUring.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return IOUring.unavailabilityCause();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory factory, int ioRatio) {
        return new IOUringEventLoopGroup(threads, factory);
    }

    @Override
    public DatagramChannel datagramChannel() {
        return new IOUringDatagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return new IOUringDatagramChannel();
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        if (domainSocket) {
            throw new IllegalArgumentException("io_uring: no domain sockets");
        }
        return IOUringSocketChannel::new;
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        if (domainSocket) {
            throw new IllegalArgumentException("io_uring: no domain sockets");
        }
        return IOUringServerSocketChannel::new;
    }
}
