package io.berth.lb.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The target side of a pooled upstream connection: hands the response to the exchange that owns the
 * connection, or drops the connection when it speaks while idle in the pool. Runs on its event loop.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final Backend backend;
    private Exchange exchange;

    UpstreamHandler(Backend backend) {
        this.backend = backend;
    }

    void bind(Exchange owner) {
        this.exchange = owner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Exchange owner = exchange;
        if (owner == null || owner.finished()) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            owner.onResponse(response);
        }
        if (msg instanceof HttpContent content) {
            owner.onContent(content);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Exchange owner = exchange;
        if (owner != null) {
            owner.flushClient();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        backend.forget(ctx.channel());
        Exchange owner = exchange;
        exchange = null;
        if (owner != null) {
            owner.upstreamClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
