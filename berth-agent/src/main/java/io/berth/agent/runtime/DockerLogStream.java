package io.berth.agent.runtime;

import com.github.dockerjava.transport.DockerHttpClient;
import io.berth.core.runtime.ContainerLogs;
import io.berth.core.runtime.LogLine;
import io.berth.core.runtime.RuntimeFailure;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The answer of {@code GET /containers/{id}/logs?timestamps=1} for a container without a TTY: frames
 * of {@code [stream (1 byte: 1 stdout, 2 stderr), 0, 0, 0, length (4 bytes, big-endian)]} then
 * {@code length} bytes, each one log entry as {@code <RFC 3339 nano timestamp> <text>}, ending with
 * a line feed unless the engine split a long line there. Read by one thread; closing (any thread)
 * aborts the exchange.
 */
final class DockerLogStream implements ContainerLogs {
    private static final int MAX_FRAME = 64 << 20;

    private final DockerHttpClient.Response response;
    private final DataInputStream in;
    private final String containerId;
    private volatile boolean closed;

    DockerLogStream(DockerHttpClient.Response response, String containerId) {
        this.response = response;
        this.in = new DataInputStream(response.getBody());
        this.containerId = containerId;
    }

    @Override
    public LogLine next() {
        while (true) {
            byte[] header = new byte[8];
            try {
                int first = in.read();
                if (first < 0) {
                    return null;
                }
                header[0] = (byte) first;
                in.readFully(header, 1, 7);
                int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                        | (header[7] & 0xff);
                if (length < 0 || length > MAX_FRAME) {
                    throw new RuntimeFailure(RuntimeFailure.Kind.UNAVAILABLE, "logs of " + containerId
                            + ": malformed stream (frame of " + length + " bytes)");
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (header[0] != 1 && header[0] != 2) {
                    continue; // stdin echo or an engine message: not the container's output
                }
                LogLine line = parse(payload, header[0] == 2);
                if (line != null) {
                    return line;
                }
            } catch (EOFException e) {
                if (closed) {
                    return null;
                }
                throw new RuntimeFailure(RuntimeFailure.Kind.UNAVAILABLE, "logs of " + containerId
                        + ": the stream ended inside a frame", e);
            } catch (IOException e) {
                if (closed) {
                    return null;
                }
                throw new RuntimeFailure(RuntimeFailure.Kind.UNAVAILABLE, "logs of " + containerId + ": " + e, e);
            }
        }
    }

    /** One frame's {@code <timestamp> <text>[\n]}; null when it has no timestamp (not a log entry). */
    static LogLine parse(byte[] payload, boolean stderr) {
        String text = new String(payload, StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        Instant timestamp;
        try {
            timestamp = Instant.parse(text.substring(0, space));
        } catch (DateTimeParseException e) {
            return null;
        }
        String rest = text.substring(space + 1);
        boolean partial = !rest.endsWith("\n");
        if (!partial) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return new LogLine(timestamp, stderr, rest, partial);
    }

    @Override
    public void close() {
        closed = true;
        try {
            response.close();
        } catch (RuntimeException ignored) {
            // already broken
        }
    }
}
