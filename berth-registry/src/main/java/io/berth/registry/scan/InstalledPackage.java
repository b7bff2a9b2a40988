package io.berth.registry.scan;

import java.util.Objects;

/**
 * A package installed in an image.
 *
 * @param name the binary package name
 * @param source the source package name (Debian advisories are by source), else the name
 * @param version the installed version
 * @param manager {@code dpkg} or {@code apk}
 */
public record InstalledPackage(String name, String source, String version, String manager) {
    public InstalledPackage {
        Objects.requireNonNull(name);
        Objects.requireNonNull(version);
        source = source == null || source.isEmpty() ? name : source;
    }
}
