package io.berth.lb.proxy;

import io.berth.lb.model.Action;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of one connection to a listener: routes each request by the listener's rules,
 * answers fixed responses, redirects and ALB's own errors itself, and hands forwarded requests to an
 * {@link Exchange}. One request at a time: pipelined requests wait (reading pauses) until the
 * response before them is complete. Runs on the connection's event loop only.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private final ListenerServer server;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    private boolean responsePending;
    private boolean reading;

    FrontendHandler(ListenerServer server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        if (!queued.isEmpty() || (msg instanceof HttpRequest && responsePending)) {
            queued.add(msg);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        handle(msg);
    }

    /** Ends a read batch: what it wrote upstream goes out in one flush. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        Exchange current = exchange;
        if (current != null) {
            current.flushUpstream();
        }
        ctx.fireChannelReadComplete();
    }

    /** Whether a read batch is under way (writes upstream are flushed when it ends). */
    boolean reading() {
        return reading;
    }

    private void handle(Object msg) {
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                ReferenceCountUtil.release(msg);
                sendLocal(Responses.error(400), false);
                return;
            }
            start(request);
        }
        if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            Exchange current = exchange;
            if (current != null && !current.finished()) {
                current.body(content);
                if (last) {
                    current.requestEnded();
                }
            } else {
                content.release();
            }
        }
    }

    private void start(HttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ListenerConfig config = server.config();
        Action action = config.table().route(view(request));
        if (action == null) {
            sendLocal(Responses.error(503), keepAlive);
            return;
        }
        switch (action.type()) {
            case Action.FIXED_RESPONSE -> sendLocal(Responses.make(
                    io.netty.handler.codec.http.HttpResponseStatus.valueOf(
                            Integer.parseInt(action.fixedResponse().statusCode())),
                    action.fixedResponse().contentType() == null ? "text/plain"
                            : action.fixedResponse().contentType(),
                    action.fixedResponse().messageBody() == null ? "" : action.fixedResponse().messageBody()),
                    keepAlive);
            case Action.REDIRECT -> sendLocal(Responses.redirect(
                    "HTTP_301".equals(action.redirect().statusCode()) ? 301 : 302,
                    Redirects.location(action.redirect(), request, config.port())), keepAlive);
            case Action.FORWARD -> {
                GroupRuntime group = chooseGroup(config, action.forward());
                Backend backend = group == null ? null : group.pick();
                if (backend == null) {
                    sendLocal(Responses.error(503), keepAlive);
                    return;
                }
                responsePending = true;
                exchange = new Exchange(this, ctx, backend, forwarded(request, config.port()), keepAlive,
                        config.idleTimeoutSeconds() * 1000L, server.channelClass());
                exchange.start();
            }
            default -> sendLocal(Responses.error(500), keepAlive);
        }
    }

    private static GroupRuntime chooseGroup(ListenerConfig config, Action.Forward forward) {
        List<Action.WeightedGroup> groups = forward.targetGroups();
        if (groups.size() == 1) {
            return config.groups().get(groups.get(0).targetGroupArn());
        }
        int total = 0;
        for (Action.WeightedGroup g : groups) {
            total += g.weight();
        }
        if (total <= 0) {
            return null;
        }
        int ticket = ThreadLocalRandom.current().nextInt(total);
        for (Action.WeightedGroup g : groups) {
            ticket -= g.weight();
            if (ticket < 0) {
                return config.groups().get(g.targetGroupArn());
            }
        }
        return null;
    }

    private RequestView view(HttpRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String host = request.headers().get(HttpHeaderNames.HOST, "");
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        List<Map.Entry<String, String>> query = new ArrayList<>();
        if (q >= 0) {
            new QueryStringDecoder(uri).parameters().forEach((k, vs) -> vs.forEach(v -> query.add(Map.entry(k, v))));
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        return new RequestView(request.method().name(), path, host, request.headers()::getAll, query,
                remote.getAddress().getAddress());
    }

    /** The request as the target sees it: hop-by-hop headers gone, X-Forwarded-* and a trace id added. */
    private HttpRequest forwarded(HttpRequest request, int port) {
        var headers = request.headers();
        boolean upgrade = Exchange.isWebSocket(request);
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String name : connection.split(",")) {
                String n = name.trim();
                if (!n.isEmpty() && !(upgrade && n.equalsIgnoreCase("upgrade"))) {
                    headers.remove(n);
                }
            }
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove("Proxy-Connection");
        headers.remove(HttpHeaderNames.TE);
        if (upgrade) {
            headers.set(HttpHeaderNames.CONNECTION, "Upgrade");
        } else {
            headers.remove(HttpHeaderNames.CONNECTION);
            headers.remove(HttpHeaderNames.UPGRADE);
        }
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        String client = remote.getAddress().getHostAddress();
        String xff = headers.get("X-Forwarded-For");
        headers.set("X-Forwarded-For", xff == null || xff.isBlank() ? client : xff + ", " + client);
        headers.set("X-Forwarded-Proto", "http");
        headers.set("X-Forwarded-Port", Integer.toString(port));
        if (!headers.contains("X-Amzn-Trace-Id")) {
            headers.set("X-Amzn-Trace-Id", traceId());
        }
        request.setProtocolVersion(io.netty.handler.codec.http.HttpVersion.HTTP_1_1);
        return request;
    }

    /** {@code Root=1-<epoch seconds, 8 hex>-<96 random bits, 24 hex>}, as ALB makes them. */
    static String traceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(40).append("Root=1-");
        hex(sb, System.currentTimeMillis() / 1000, 8).append('-');
        hex(sb, r.nextLong(1L << 48), 12);
        return hex(sb, r.nextLong(1L << 48), 12).toString();
    }

    private static StringBuilder hex(StringBuilder sb, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            sb.append(Character.forDigit((int) (value >>> shift) & 0xf, 16));
        }
        return sb;
    }

    private void sendLocal(FullHttpResponse response, boolean keepAlive) {
        Responses.keepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** An exchange that failed before its response began answers with ALB's error for it. */
    void failed(Exchange failed, int status) {
        sendLocal(Responses.error(status), failed.keepAlive());
        done(failed, failed.keepAlive());
    }

    /** The exchange's response is complete (or the connection switched protocols). */
    void done(Exchange finished, boolean keepAlive) {
        if (exchange != finished) {
            return;
        }
        exchange = null;
        responsePending = false;
        if (!keepAlive) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        while (!queued.isEmpty() && !responsePending) {
            handle(queued.poll());
        }
        if (queued.isEmpty() && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange current = exchange;
        exchange = null;
        if (current != null) {
            current.clientGone();
        }
        Object msg;
        while ((msg = queued.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !responsePending) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
