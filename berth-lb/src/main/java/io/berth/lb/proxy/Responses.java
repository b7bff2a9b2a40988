package io.berth.lb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The responses the load balancer makes itself: its errors (as ALB words them), fixed responses, redirects. */
final class Responses {
    static final String SERVER = "awselb/2.0";

    private Responses() {
    }

    static FullHttpResponse error(int status) {
        HttpResponseStatus s = HttpResponseStatus.valueOf(status);
        String title = status + " " + s.reasonPhrase();
        String html = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n</body>\r\n</html>\r\n";
        return make(s, "text/html", html);
    }

    static FullHttpResponse make(HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER
                : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.SERVER, SERVER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType.startsWith("text/")
                    ? contentType + "; charset=utf-8" : contentType);
        }
        return response;
    }

    static FullHttpResponse redirect(int status, String location) {
        FullHttpResponse response = make(HttpResponseStatus.valueOf(status), "text/html",
                "<html>\r\n<head><title>" + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase()
                        + "</title></head>\r\n<body>\r\n<center><h1>" + status + " "
                        + HttpResponseStatus.valueOf(status).reasonPhrase() + "</h1></center>\r\n</body>\r\n</html>\r\n");
        response.headers().set(HttpHeaderNames.LOCATION, location);
        return response;
    }

    static void keepAlive(FullHttpResponse response, boolean keepAlive) {
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }
}
