package io.berth.registry.oci;

import io.berth.registry.blob.BlobInfo;
import io.berth.registry.blob.Digest;
import io.berth.registry.blob.Upload;
import io.berth.registry.error.RegistryError;
import io.berth.registry.error.RegistryException;
import io.berth.registry.layer.Layers;
import io.berth.registry.repository.Repositories;
import io.berth.registry.repository.RepositoryNames;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * Blobs and uploads: end-2 (GET/HEAD blob, with Range), end-4a/4b (POST upload, monolithic with
 * {@code ?digest=}), end-5 (PATCH chunk), end-6 (PUT to finish), end-10 (DELETE blob), end-11 (mount),
 * end-13 (upload status) and DELETE of an upload.
 */
final class BlobEndpoints {
    private final Repositories repositories;
    private final Layers layers;

    BlobEndpoints(Repositories repositories, Layers layers) {
        this.repositories = repositories;
        this.layers = layers;
    }

    void get(Exchange x, String name, Digest digest) throws IOException {
        BlobInfo blob = layers.find(name, digest).orElseThrow(() -> layers.blobUnknown(name, digest));
        x.header("Docker-Content-Digest", digest).header("Accept-Ranges", "bytes").header("ETag", "\"" + digest + "\"");
        Optional<ByteRange> range;
        try {
            range = ByteRange.parse(x.header("Range"), blob.size());
        } catch (IllegalArgumentException e) {
            x.header("Content-Range", "bytes */" + blob.size());
            x.error(new OciErrors.OciError("BLOB_UNKNOWN", 416), "requested range not satisfiable", null);
            return;
        }
        if (range.isPresent()) {
            ByteRange r = range.get();
            x.header("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + blob.size());
            send(x, name, digest, 206, r.start(), r.length());
            return;
        }
        send(x, name, digest, 200, 0, blob.size());
    }

    /** The blob's bytes: mapped from its file where the store has one, else streamed. */
    private void send(Exchange x, String name, Digest digest, int status, long offset, long length) throws IOException {
        if (x.head()) {
            x.stream(status, "application/octet-stream", length, InputStream.nullInputStream());
            return;
        }
        Optional<java.nio.ByteBuffer> mapped = layers.map(name, digest, offset, length);
        if (mapped.isPresent()) {
            x.buffer(status, "application/octet-stream", mapped.get());
            return;
        }
        x.stream(status, "application/octet-stream", length, layers.open(name, digest, offset, length));
    }

    void delete(Exchange x, String name, Digest digest) {
        if (!layers.unlink(name, digest)) {
            throw layers.blobUnknown(name, digest);
        }
        x.empty(202);
    }

    /** POST /v2/name/blobs/uploads/: a mount, a monolithic upload, or the start of a session. */
    void startOrMount(Exchange x, String name) {
        String mount = x.query("mount");
        if (mount != null) {
            Digest digest = DistributionRoute.digest(mount);
            String from = x.query("from");
            Optional<BlobInfo> mounted = from == null || RepositoryNames.valid(from)
                    ? mountable(name, digest, from) : Optional.empty();
            if (mounted.isPresent()) {
                x.header("Location", "/v2/" + name + "/blobs/" + digest).header("Docker-Content-Digest", digest);
                x.empty(201);
                return;
            }
        }
        String digestParam = x.query("digest");
        if (digestParam != null) {
            Digest digest = DistributionRoute.digest(digestParam);
            try (InputStream body = Request.asInputStream(x.request)) {
                layers.put(name, digest, body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            x.header("Location", "/v2/" + name + "/blobs/" + digest).header("Docker-Content-Digest", digest);
            x.empty(201);
            return;
        }
        Upload upload = layers.start(name);
        uploadHeaders(x, name, upload);
        x.empty(202);
    }

    private Optional<BlobInfo> mountable(String name, Digest digest, String from) {
        if (from != null && repositories.find(from).isEmpty()) {
            return Optional.empty();
        }
        return layers.mount(name, digest, from);
    }

    void status(Exchange x, String name, String uploadId) {
        Upload upload = layers.upload(name, uploadId);
        uploadHeaders(x, name, upload);
        x.empty(204);
    }

    void patch(Exchange x, String name, String uploadId) {
        Upload upload = layers.upload(name, uploadId);
        long offset = upload.offset();
        String contentRange = x.header("Content-Range");
        if (contentRange != null) {
            try {
                offset = ByteRange.chunk(contentRange).start();
            } catch (IllegalArgumentException e) {
                uploadHeaders(x, name, upload);
                throw new RegistryException(RegistryError.UPLOAD_OUT_OF_ORDER, e.getMessage());
            }
        }
        Upload after;
        try (InputStream body = Request.asInputStream(x.request)) {
            after = layers.append(name, uploadId, offset, body);
        } catch (RegistryException e) {
            if (e.error() == RegistryError.UPLOAD_OUT_OF_ORDER) {
                uploadHeaders(x, name, layers.upload(name, uploadId));
            }
            throw e;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        uploadHeaders(x, name, after);
        x.empty(202);
    }

    void finish(Exchange x, String name, String uploadId) {
        Upload upload = layers.upload(name, uploadId);
        String digestParam = x.query("digest");
        if (digestParam == null) {
            throw new RegistryException(RegistryError.DIGEST_INVALID, "digest parameter is missing");
        }
        Digest digest = DistributionRoute.digest(digestParam);
        long length = x.request.getLength();
        String contentRange = x.header("Content-Range");
        if (length != 0) {
            long offset = contentRange != null ? ByteRange.chunk(contentRange).start() : upload.offset();
            try (InputStream body = Request.asInputStream(x.request)) {
                layers.append(name, uploadId, offset, body);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        layers.complete(name, uploadId, digest);
        x.header("Location", "/v2/" + name + "/blobs/" + digest).header("Docker-Content-Digest", digest);
        x.empty(201);
    }

    void cancel(Exchange x, String name, String uploadId) {
        layers.cancel(name, uploadId);
        x.empty(204);
    }

    private static void uploadHeaders(Exchange x, String name, Upload upload) {
        x.header("Location", "/v2/" + name + "/blobs/uploads/" + upload.id())
                .header("Docker-Upload-UUID", upload.id())
                .header("Range", "0-" + Math.max(0, upload.offset() - 1));
    }
}
