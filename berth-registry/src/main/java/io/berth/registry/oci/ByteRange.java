package io.berth.registry.oci;

import java.util.Optional;

/** One byte range of a resource of known size, as a {@code Range: bytes=...} header asks for it. */
record ByteRange(long start, long end) {
    long length() {
        return end - start + 1;
    }

    /**
     * The range a {@code Range} header asks of a resource of {@code size} bytes: empty for no header
     * (or one Berth ignores, e.g. several ranges); throws IllegalArgumentException when unsatisfiable.
     */
    static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("malformed range");
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            long start;
            long end;
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    throw new IllegalArgumentException("empty suffix range");
                }
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(first);
                end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
            }
            if (start < 0 || start >= size || end < start) {
                throw new IllegalArgumentException("unsatisfiable range");
            }
            return Optional.of(new ByteRange(start, end));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed range");
        }
    }

    /**
     * The start and end of an upload chunk's {@code Content-Range}: {@code <start>-<end>} as the
     * distribution spec writes it (a {@code bytes } prefix is accepted too).
     */
    static ByteRange chunk(String header) {
        String h = header.trim();
        if (h.startsWith("bytes ")) {
            h = h.substring(6).trim();
        } else if (h.startsWith("bytes=")) {
            h = h.substring(6).trim();
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        int dash = h.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("malformed Content-Range: " + header);
        }
        long start = Long.parseLong(h.substring(0, dash).trim());
        long end = Long.parseLong(h.substring(dash + 1).trim());
        if (start < 0 || end < start - 1) {
            throw new IllegalArgumentException("malformed Content-Range: " + header);
        }
        return new ByteRange(start, end);
    }
}
