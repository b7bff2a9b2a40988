package io.berth.registry;

import io.berth.registry.blob.Digest;
import io.berth.registry.image.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Manifests and indexes for tests, as JSON text. */
public final class TestManifests {
    public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

    private TestManifests() {
    }

    public static String descriptor(String mediaType, byte[] content) {
        return descriptor(mediaType, Digest.sha256(content).toString(), content.length);
    }

    public static String descriptor(String mediaType, String digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    /** An image manifest of {@code mediaType} with a config and layers given as contents. */
    public static String image(String mediaType, byte[] config, List<byte[]> layers) {
        String configType = mediaType.equals(MediaTypes.DOCKER_MANIFEST)
                ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
        String layerType = mediaType.equals(MediaTypes.DOCKER_MANIFEST)
                ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip";
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":"
                + descriptor(configType, config) + ",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(descriptor(layerType, layers.get(i)));
        }
        return sb.append("]}").toString();
    }

    /** An OCI artifact manifest (empty config) referring to {@code subjectDigest}. */
    public static String artifact(String artifactType, String subjectDigest, long subjectSize, String annotation) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
                + artifactType + "\",\"config\":" + descriptor(MediaTypes.OCI_EMPTY, EMPTY_CONFIG)
                + ",\"layers\":[" + descriptor(MediaTypes.OCI_EMPTY, EMPTY_CONFIG) + "],\"subject\":"
                + descriptor(MediaTypes.OCI_MANIFEST, subjectDigest, subjectSize)
                + ",\"annotations\":{\"note\":\"" + annotation + "\"}}";
    }

    /** An index of {@code mediaType} over manifests given as (digest, size, arch). */
    public static String index(String mediaType, String childType, List<Object[]> children) {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"manifests\":[");
        for (int i = 0; i < children.size(); i++) {
            Object[] c = children.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(childType).append("\",\"digest\":\"")
                    .append(c[0]).append("\",\"size\":").append(c[1])
                    .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"").append(c[2]).append("\"}}");
        }
        return sb.append("]}").toString();
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
