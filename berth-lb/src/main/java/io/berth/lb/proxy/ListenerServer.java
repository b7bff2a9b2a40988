package io.berth.lb.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The open port of one listener. Its configuration is swapped whole by the data plane; new
 * connections take the idle timeout in force when they open. Thread-safe.
 */
final class ListenerServer implements AutoCloseable {
    private final Channel channel;
    private volatile ListenerConfig config;

    private ListenerServer(Channel channel, ListenerConfig config) {
        this.channel = channel;
        this.config = config;
    }

    static ListenerServer open(EventLoopGroup group, Class<? extends ServerChannel> serverChannel, String host,
                               ListenerConfig config) throws InterruptedException {
        ListenerServer[] self = new ListenerServer[1];
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ListenerServer server = self[0];
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0,
                                server.config().idleTimeoutSeconds(), TimeUnit.SECONDS));
                        ch.pipeline().addLast("codec", new HttpServerCodec(16384, 65536, 65536));
                        ch.pipeline().addLast("front", new FrontendHandler(server));
                    }
                });
        Channel ch = bootstrap.bind(new InetSocketAddress(host, config.port())).sync().channel();
        self[0] = new ListenerServer(ch, config);
        return self[0];
    }

    ListenerConfig config() {
        return config;
    }

    void config(ListenerConfig next) {
        this.config = next;
    }

    int port() {
        return config.port();
    }

    Class<? extends Channel> channelClass() {
        return NioSocketChannel.class;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
