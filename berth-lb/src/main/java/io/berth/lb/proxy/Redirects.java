package io.berth.lb.proxy;

import io.berth.lb.model.Action;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/** The Location of a redirect action, with ALB's {@code #{...}} placeholders filled from the request. */
final class Redirects {
    private Redirects() {
    }

    static String location(Action.Redirect r, HttpRequest request, int listenerPort) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? "" : uri.substring(q + 1);
        String hostHeader = request.headers().get(HttpHeaderNames.HOST, "");
        int colon = hostHeader.lastIndexOf(':');
        String host = colon > 0 && hostHeader.indexOf(']') < colon ? hostHeader.substring(0, colon) : hostHeader;
        String protocol = fill(r.protocol() == null ? "#{protocol}" : r.protocol(), "http", host, listenerPort,
                path, query).toLowerCase();
        String port = fill(r.port() == null ? "#{port}" : r.port(), "http", host, listenerPort, path, query);
        String newHost = fill(r.host() == null ? "#{host}" : r.host(), "http", host, listenerPort, path, query);
        String newPath = fill(r.path() == null ? "/#{path}" : r.path(), "http", host, listenerPort, path, query);
        String newQuery = fill(r.query() == null ? "#{query}" : r.query(), "http", host, listenerPort, path, query);
        boolean defaultPort = ("http".equals(protocol) && "80".equals(port)) || ("https".equals(protocol) && "443".equals(port));
        return protocol + "://" + newHost + (defaultPort ? "" : ":" + port)
                + (newPath.startsWith("/") ? newPath : "/" + newPath) + (newQuery.isEmpty() ? "" : "?" + newQuery);
    }

    private static String fill(String template, String protocol, String host, int port, String path, String query) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return template.replace("#{protocol}", protocol).replace("#{host}", host)
                .replace("#{port}", Integer.toString(port)).replace("#{path}", p).replace("#{query}", query);
    }
}
