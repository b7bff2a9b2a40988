package io.berth.agent.registry;

import java.net.URI;
import java.util.Locale;

/** Registry addresses as Docker reads them from image references and URLs. Pure. */
final class RegistryHosts {
    private RegistryHosts() {
    }

    /**
     * The registry {@code host[:port]} of an image reference, lower case; null for Docker Hub's images.
     * As Docker: the part before the first {@code /} names a registry when it has a {@code .} or a
     * {@code :}, or is {@code localhost}.
     *
     * <pre>
     * busybox, library/busybox         → null
     * 127.0.0.1:4566/team/app:1        → 127.0.0.1:4566
     * Registry.Example.com/app@sha256… → registry.example.com
     * </pre>
     */
    static String registryOf(String image) {
        if (image == null) {
            return null;
        }
        int slash = image.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String first = image.substring(0, slash);
        if (!(first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            return null;
        }
        return first.toLowerCase(Locale.ROOT);
    }

    /**
     * The {@code host[:port]} of a URL ({@code http://127.0.0.1:4566/}) or of a bare address
     * ({@code 127.0.0.1:4566}), lower case; null when there is none.
     */
    static String authority(String urlOrAddress) {
        if (urlOrAddress == null || urlOrAddress.isBlank()) {
            return null;
        }
        String text = urlOrAddress.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        try {
            String authority = URI.create(text).getRawAuthority();
            if (authority == null || authority.isEmpty()) {
                return null;
            }
            int at = authority.lastIndexOf('@');
            return authority.substring(at + 1).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
