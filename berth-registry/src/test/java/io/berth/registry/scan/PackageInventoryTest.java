package io.berth.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.TestTar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

public class PackageInventoryTest {
    public static final String DEBIAN_12 = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";
    public static final String STATUS = """
            Package: libssl3
            Status: install ok installed
            Source: openssl
            Version: 3.0.9-1
            Architecture: amd64

            Package: bash
            Status: install ok installed
            Version: 5.2.15-2+b2

            Package: removed
            Status: deinstall ok config-files
            Version: 1.0
            """;

    @Test
    void dpkgImagesListTheirInstalledPackagesAndOs() throws IOException {
        PackageInventory inventory = new PackageInventory();
        inventory.addLayer(new ByteArrayInputStream(new TestTar().directory("etc").file("etc/os-release", DEBIAN_12)
                .file("var/lib/dpkg/status", STATUS).gzip()));
        PackageInventory.Result r = inventory.result();
        assertThat(r.ecosystem()).contains("Debian:12");
        assertThat(r.packages()).containsExactly(
                new InstalledPackage("bash", null, "5.2.15-2+b2", "dpkg"),
                new InstalledPackage("libssl3", "openssl", "3.0.9-1", "dpkg"));
    }

    @Test
    void laterLayersReplaceAndWhiteOutEarlierFiles() throws IOException {
        PackageInventory inventory = new PackageInventory();
        inventory.addLayer(new ByteArrayInputStream(new TestTar().file("./etc/os-release", DEBIAN_12)
                .file("./var/lib/dpkg/status", STATUS).file("var/lib/dpkg/status.d/extra",
                        "Package: extra\nVersion: 1\n").tar()));
        inventory.addLayer(new ByteArrayInputStream(new TestTar()
                .file("var/lib/dpkg/status", "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-3\n")
                .file("var/lib/dpkg/status.d/.wh.extra", "").gzip()));
        assertThat(inventory.result().packages()).containsExactly(new InstalledPackage("bash", null, "5.2.15-3", "dpkg"));

        inventory.addLayer(new ByteArrayInputStream(new TestTar().file("var/lib/dpkg/.wh..wh..opq", "").tar()));
        assertThat(inventory.result().packages()).isEmpty();
        assertThat(inventory.result().supported()).isTrue();
    }

    @Test
    void apkImagesListTheirPackages() throws IOException {
        PackageInventory inventory = new PackageInventory();
        inventory.addLayer(new ByteArrayInputStream(new TestTar()
                .file("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n")
                .file("lib/apk/db/installed", "C:Q1abc\nP:musl\nV:1.2.4_git20230717-r4\no:musl\n\nP:busybox\nV:1.36.1-r15\n")
                .gzip()));
        PackageInventory.Result r = inventory.result();
        assertThat(r.ecosystem()).contains("Alpine:v3.19");
        assertThat(r.packages()).extracting(InstalledPackage::name).containsExactly("busybox", "musl");
    }

    @Test
    void imagesWithoutAPackageManagerAreUnsupported() throws IOException {
        PackageInventory inventory = new PackageInventory();
        inventory.addLayer(new ByteArrayInputStream(new TestTar().file("bin/busybox", new byte[3000]).tar()));
        assertThat(inventory.result().supported()).isFalse();
    }
}
