package io.berth.lb.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The backend of the side-by-side proxy benchmark: answers every request with a 100-byte body over
 * keep-alive, on one event loop. Usage: {@code BenchBackend PORT}.
 */
public final class BenchBackend {
    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(
            "x".repeat(99).concat("\n").getBytes(StandardCharsets.US_ASCII)));

    private BenchBackend() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK, BODY.duplicate());
                                        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                                                .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.readableBytes());
                                        HttpUtil.setKeepAlive(res, HttpUtil.isKeepAlive(req));
                                        ctx.writeAndFlush(res);
                                    }
                                });
                    }
                }).bind("127.0.0.1", port).sync().channel().closeFuture().sync();
    }
}
