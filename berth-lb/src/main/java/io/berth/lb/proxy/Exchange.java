package io.berth.lb.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One forwarded request and its response:
 * <pre>
 *   start --pooled or new connection--> attached --response head--> responding --last content--> done
 *      \--refused: 502, connect timeout: 504   \--closed before a response: 502 (one retry on a fresh
 *                                                connection when a pooled one was stale and the
 *                                                request had no body)   \--idle timeout: 504
 * </pre>
 * A 101 answer to a WebSocket upgrade turns both connections into a byte tunnel. Runs on the client
 * connection's event loop only; the upstream connection is opened on the same loop.
 */
final class Exchange {
    private final FrontendHandler front;
    private final ChannelHandlerContext fctx;
    private final Backend backend;
    private final HttpRequest request;
    private final boolean keepAlive;
    private final boolean websocket;
    private final long timeoutMillis;
    private final Class<? extends Channel> channelClass;
    private final EventLoop loop;
    private final List<HttpContent> pendingBody = new ArrayList<>(2);
    private Channel upstream;
    private boolean attached;
    private boolean requestEnded;
    private boolean hasBody;
    private boolean responseStarted;
    private boolean reused;
    private boolean retried;
    private boolean finished;
    private boolean reusable = true;
    private boolean switching;
    private long lastActivity;
    private ScheduledFuture<?> timer;

    Exchange(FrontendHandler front, ChannelHandlerContext fctx, Backend backend, HttpRequest request,
             boolean keepAlive, long timeoutMillis, Class<? extends Channel> channelClass) {
        this.front = front;
        this.fctx = fctx;
        this.backend = backend;
        this.request = request;
        this.keepAlive = keepAlive;
        this.websocket = isWebSocket(request);
        this.timeoutMillis = timeoutMillis;
        this.channelClass = channelClass;
        this.loop = fctx.channel().eventLoop();
    }

    static boolean isWebSocket(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    boolean keepAlive() {
        return keepAlive;
    }

    boolean finished() {
        return finished;
    }

    void start() {
        backend.inFlight.incrementAndGet();
        lastActivity = System.nanoTime();
        timer = loop.schedule(this::checkTimeout, timeoutMillis, TimeUnit.MILLISECONDS);
        Channel pooled = websocket ? null : backend.acquire(loop);
        if (pooled != null) {
            reused = true;
            attach(pooled);
        } else {
            connect();
        }
    }

    private void connect() {
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(10_000, timeoutMillis))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec(16384, 65536, 65536));
                        ch.pipeline().addLast("upstream", new UpstreamHandler(backend));
                    }
                });
        bootstrap.connect(backend.address).addListener((ChannelFuture f) -> {
            if (finished) {
                if (f.isSuccess()) {
                    f.channel().close();
                }
                return;
            }
            if (f.isSuccess()) {
                attach(f.channel());
            } else {
                fail(f.cause() instanceof ConnectTimeoutException ? 504 : 502);
            }
        });
    }

    private void attach(Channel ch) {
        upstream = ch;
        ch.pipeline().get(UpstreamHandler.class).bind(this);
        ch.write(request, ch.voidPromise());
        for (HttpContent c : pendingBody) {
            ch.write(c, ch.voidPromise());
        }
        pendingBody.clear();
        attached = true;
        if (!front.reading()) {
            ch.flush();
        }
    }

    /** Sends what the client side wrote since the last flush (called when a client read batch ends). */
    void flushUpstream() {
        if (attached && upstream != null) {
            upstream.flush();
        }
    }

    void body(HttpContent content) {
        if (!(content instanceof LastHttpContent) || content.content().isReadable()) {
            hasBody = true;
        }
        if (attached) {
            upstream.write(content, upstream.voidPromise());
            if (!front.reading()) {
                upstream.flush();
            }
        } else {
            pendingBody.add(content);
        }
    }

    void requestEnded() {
        requestEnded = true;
    }

    void onResponse(HttpResponse response) {
        lastActivity = System.nanoTime();
        responseStarted = true;
        var headers = response.headers();
        if (!HttpUtil.isKeepAlive(response)) {
            reusable = false;
        }
        switching = websocket && response.status().code() == 101;
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection != null && !switching) {
            for (String name : connection.split(",")) {
                headers.remove(name.trim());
            }
        }
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove("Proxy-Connection");
        if (switching) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        } else {
            headers.remove(HttpHeaderNames.CONNECTION);
            if (!keepAlive) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            int code = response.status().code();
            boolean bodyless = code < 200 || code == 204 || code == 304
                    || "HEAD".equals(request.method().name());
            if (!bodyless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
                HttpUtil.setTransferEncodingChunked(response, true);
            }
        }
        response.setProtocolVersion(io.netty.handler.codec.http.HttpVersion.HTTP_1_1);
        fctx.write(response, fctx.voidPromise());
    }

    void onContent(HttpContent content) {
        lastActivity = System.nanoTime();
        boolean last = content instanceof LastHttpContent;
        fctx.write(content, fctx.voidPromise());
        if (last) {
            if (switching) {
                tunnel();
            } else {
                complete();
            }
        }
    }

    void flushClient() {
        fctx.flush();
    }

    private void complete() {
        finish();
        if (reusable && requestEnded && !backend.retired) {
            upstream.pipeline().get(UpstreamHandler.class).bind(null);
            backend.release(upstream);
        } else {
            upstream.close();
        }
        fctx.flush();
        front.done(this, keepAlive);
    }

    private void finish() {
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        backend.inFlight.decrementAndGet();
    }

    /** The upstream connection closed (or failed) while this exchange owned it. */
    void upstreamClosed() {
        if (finished) {
            return;
        }
        if (!responseStarted && reused && !hasBody && !retried) {
            retried = true;
            reused = false;
            attached = false;
            upstream = null;
            if (requestEnded) {
                pendingBody.add(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            connect();
            return;
        }
        if (!responseStarted) {
            fail(502);
        } else {
            finish();
            fctx.flush();
            fctx.close();
        }
    }

    private void fail(int status) {
        finish();
        for (HttpContent c : pendingBody) {
            c.release();
        }
        pendingBody.clear();
        if (upstream != null) {
            upstream.close();
        }
        front.failed(this, status);
    }

    private void checkTimeout() {
        if (finished) {
            return;
        }
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity);
        if (idle < timeoutMillis) {
            timer = loop.schedule(this::checkTimeout, timeoutMillis - idle, TimeUnit.MILLISECONDS);
            return;
        }
        if (!responseStarted) {
            fail(504);
        } else {
            finish();
            if (upstream != null) {
                upstream.close();
            }
            fctx.close();
        }
    }

    /** The client went away: stop, and do not pool a connection that may still carry a response. */
    void clientGone() {
        if (finished) {
            return;
        }
        finish();
        for (HttpContent c : pendingBody) {
            c.release();
        }
        pendingBody.clear();
        if (upstream != null) {
            upstream.close();
        }
    }

    /** After a 101 to a WebSocket upgrade: both connections become a byte tunnel. */
    private void tunnel() {
        finish();
        fctx.flush();
        Channel client = fctx.channel();
        ChannelPipeline up = upstream.pipeline();
        up.addLast("relay", new Relay(client));
        up.remove(UpstreamHandler.class);
        up.remove(HttpClientCodec.class);
        ChannelPipeline down = client.pipeline();
        down.addLast("relay", new Relay(upstream));
        front.done(this, true);
        down.remove(FrontendHandler.class);
        down.remove(HttpServerCodec.class);
        client.config().setAutoRead(true);
        upstream.config().setAutoRead(true);
    }
}
