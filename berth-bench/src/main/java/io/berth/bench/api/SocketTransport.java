package io.berth.bench.api;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Transport} over a plain blocking socket per client: the leanest possible HTTP/1.1
 * keep-alive client (one write per request, reads into a reused buffer), so that on a small machine
 * the driver leaves as much CPU as it can to the server it measures. Understands Content-Length,
 * chunked bodies and {@code Connection: close} / HTTP/1.0 replies (it reconnects for the next
 * request), which is all that Jetty and Werkzeug send here.
 */
final class SocketTransport implements Transport {
    private final InetSocketAddress address;
    private final String host;

    SocketTransport(URI endpoint) {
        int port = endpoint.getPort() == -1 ? 80 : endpoint.getPort();
        this.address = new InetSocketAddress(endpoint.getHost(), port);
        this.host = port == 80 ? endpoint.getHost() : endpoint.getHost() + ":" + port;
        if (!"http".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("the socket transport speaks plain http only: " + endpoint);
        }
    }

    @Override
    public Connection connect(int client) {
        return new SocketConnection();
    }

    @Override
    public String describe() {
        return "blocking socket per client (HTTP/1.1, keep-alive)";
    }

    @Override
    public void close() {
    }

    private final class SocketConnection implements Connection {
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        private byte[] buf = new byte[16 * 1024];
        private int start;
        private int end;

        @Override
        public Reply post(Map<String, String> headers, byte[] body) throws IOException {
            if (socket == null) {
                open();
            }
            StringBuilder head = new StringBuilder(512);
            head.append("POST / HTTP/1.1\r\nHost: ").append(host).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, request, h.length, body.length);
            try {
                out.write(request);
                out.flush();
                return readReply();
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        private void open() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(address, 10_000);
            s.setSoTimeout(30_000);
            socket = s;
            out = s.getOutputStream();
            in = s.getInputStream();
            start = 0;
            end = 0;
        }

        private Reply readReply() throws IOException {
            int headerEnd;
            while ((headerEnd = indexOfHeaderEnd()) < 0) {
                fill();
            }
            String head = new String(buf, start, headerEnd - start, StandardCharsets.ISO_8859_1);
            start = headerEnd + 4;
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP reply: " + lines[0]);
            }
            int status = Integer.parseInt(statusLine[1]);
            boolean keepAlive = statusLine[0].equals("HTTP/1.1");
            long length = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> {
                        String v = value.toLowerCase(Locale.ROOT);
                        if (v.contains("close")) {
                            keepAlive = false;
                        } else if (v.contains("keep-alive")) {
                            keepAlive = true;
                        }
                    }
                    default -> { }
                }
            }
            byte[] body;
            if (chunked) {
                body = readChunked();
            } else if (length >= 0) {
                body = readExactly((int) length);
            } else {
                body = readToEof();
                keepAlive = false;
            }
            if (!keepAlive) {
                close();
            }
            return new Reply(status, body);
        }

        private int indexOfHeaderEnd() {
            for (int i = start; i + 3 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        /** Reads more bytes after {@code end}, compacting or growing the buffer first if it is full. */
        private void fill() throws IOException {
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                throw new EOFException("connection closed by the server");
            }
            end += n;
        }

        private byte[] readExactly(int n) throws IOException {
            while (end - start < n) {
                fill();
            }
            byte[] out = Arrays.copyOfRange(buf, start, start + n);
            start += n;
            return out;
        }

        private String readLine() throws IOException {
            while (true) {
                for (int i = start; i + 1 < end; i++) {
                    if (buf[i] == '\r' && buf[i + 1] == '\n') {
                        String line = new String(buf, start, i - start, StandardCharsets.ISO_8859_1);
                        start = i + 2;
                        return line;
                    }
                }
                fill();
            }
        }

        private byte[] readChunked() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine();
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.writeBytes(readExactly(size));
                readLine();
            }
        }

        private byte[] readToEof() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(buf, start, end - start);
            start = end;
            in.transferTo(body);
            return body.toByteArray();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }
}
