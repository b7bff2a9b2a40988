package io.berth.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class OsvDatabaseTest {
    /** A tiny OSV database: two Debian advisories, one Alpine one. */
    public static void write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("Debian"));
        Files.writeString(dir.resolve("Debian/DEBIAN-CVE-2023-5678.json"), """
                {"id":"DEBIAN-CVE-2023-5678","aliases":["CVE-2023-5678"],"summary":"openssl: DH checks too slow",
                 "references":[{"type":"ADVISORY","url":"https://security-tracker.debian.org/tracker/CVE-2023-5678"}],
                 "affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u2"}]}]}],
                 "database_specific":{"severity":"high"}}""");
        Files.writeString(dir.resolve("Debian/DEBIAN-CVE-2022-0001.json"), """
                {"id":"DEBIAN-CVE-2022-0001","aliases":["CVE-2022-0001"],"summary":"bash: only in bullseye",
                 "affected":[{"package":{"ecosystem":"Debian:11","name":"bash"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"9.9"}]}]}]}""");
        Files.writeString(dir.resolve("alpine.json"), """
                [{"id":"ALPINE-CVE-2024-0002","aliases":["CVE-2024-0002"],"summary":"busybox: awk",
                  "affected":[{"package":{"ecosystem":"Alpine:v3.19","name":"busybox"},
                    "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.36.0"},{"last_affected":"1.36.1-r15"}]}]}],
                  "database_specific":{"severity":"MODERATE"}}]""");
    }

    @TempDir
    Path dir;

    @Test
    void packagesInsideAnAffectedRangeMatch() throws IOException {
        write(dir);
        OsvDatabase db = OsvDatabase.load(dir);
        assertThat(db.size()).isEqualTo(3);
        List<Finding> findings = db.match(Optional.of("Debian:12"), List.of(
                new InstalledPackage("libssl3", "openssl", "3.0.9-1", "dpkg"),
                new InstalledPackage("bash", null, "5.2.15-2", "dpkg")));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("CVE-2023-5678");
            assertThat(f.severity()).isEqualTo("HIGH");
            assertThat(f.uri()).isEqualTo("https://security-tracker.debian.org/tracker/CVE-2023-5678");
            assertThat(f.attributes()).containsEntry("package_name", "libssl3").containsEntry("package_version",
                    "3.0.9-1").containsEntry("fixed_version", "3.0.11-1~deb12u2");
        });
        assertThat(db.match(Optional.of("Debian:12"), List.of(new InstalledPackage("libssl3", "openssl",
                "3.0.11-1~deb12u2", "dpkg")))).isEmpty();
    }

    @Test
    void lastAffectedBoundsARangeAndEcosystemsMustAgree() throws IOException {
        write(dir);
        OsvDatabase db = OsvDatabase.load(dir);
        assertThat(db.match(Optional.of("Alpine:v3.19"), List.of(new InstalledPackage("busybox", null, "1.36.1-r15",
                "apk")))).extracting(Finding::severity).containsExactly("MEDIUM");
        assertThat(db.match(Optional.of("Alpine:v3.19"), List.of(new InstalledPackage("busybox", null, "1.36.1-r16",
                "apk")))).isEmpty();
        assertThat(db.match(Optional.of("Alpine:v3.18"), List.of(new InstalledPackage("busybox", null, "1.36.1-r2",
                "apk")))).isEmpty();
    }

    @Test
    void alpineRangesFollowApkVersionOrder() throws IOException {
        Files.writeString(dir.resolve("musl.json"), """
                {"id":"ALPINE-CVE-2025-0003","aliases":["CVE-2025-0003"],
                 "affected":[{"package":{"ecosystem":"Alpine:v3.21","name":"musl"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2.5-r1"}]}]}]}""");
        OsvDatabase db = OsvDatabase.load(dir);
        // apk: a release candidate comes before its release (dpkg would put 1.2.5_rc1 after 1.2.5-r1)
        assertThat(db.match(Optional.of("Alpine:v3.21"), List.of(new InstalledPackage("musl", null, "1.2.5_rc1-r0",
                "apk")))).extracting(Finding::name).containsExactly("CVE-2025-0003");
        assertThat(db.match(Optional.of("Alpine:v3.21"), List.of(new InstalledPackage("musl", null, "1.2.5_p1-r0",
                "apk")))).isEmpty();
        assertThat(db.match(Optional.of("Alpine:v3.21"), List.of(new InstalledPackage("musl", null, "1.2.5-r0",
                "apk")))).hasSize(1);
    }

    /**
     * An advisory's ecosystem (as OSV names it, https://ossf.github.io/osv-schema/#affectedpackage-field)
     * against an image's (as {@link PackageInventory} names it from os-release).
     */
    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "Debian:12, Debian:12, true",
            "Debian:11, Debian:12, false",
            "Debian, Debian:12, true",
            "Alpine:v3.19, Alpine:v3.19, true",
            "Alpine:v3.18, Alpine:v3.19, false",
            "Ubuntu:22.04:LTS, Ubuntu:22.04, true",
            "Ubuntu:24.04:LTS, Ubuntu:24.04, true",
            "Ubuntu:24.10, Ubuntu:24.10, true",
            "Ubuntu:Pro:18.04:LTS, Ubuntu:18.04, true",
            "Ubuntu:Pro:22.04:LTS, Ubuntu:22.04, true",
            "Ubuntu, Ubuntu:22.04, true",
            "Ubuntu:22.04, Ubuntu:22.04, true",
            "Ubuntu:24.04:LTS, Ubuntu:22.04, false",
            "Ubuntu:Pro:18.04:LTS, Ubuntu:22.04, false",
            "Ubuntu:22.04:LTS, Debian:12, false",
            "Ubuntu:Pro:FIPS:20.04:LTS, Ubuntu:20.04, false",
            "Ubuntu:Pro:FIPS-updates:22.04:LTS, Ubuntu:22.04, false",
            "Ubuntu:Pro:FIPS-preview:22.04:LTS, Ubuntu:22.04, false",
            "Ubuntu:Pro:22.04:LTS:Realtime:Kernel, Ubuntu:22.04, false",
            "Ubuntu:Pro, Ubuntu:22.04, false"})
    void advisoryEcosystemsCoverTheImageRelease(String advisory, String image, boolean covers) {
        assertThat(OsvDatabase.ecosystemMatches(advisory, Optional.of(image), "dpkg")).isEqualTo(covers);
    }

    @Test
    void ubuntuAdvisoriesFindTheirReleaseOnce() throws IOException {
        Files.writeString(dir.resolve("UBUNTU-CVE-2024-6119.json"), """
                {"id":"UBUNTU-CVE-2024-6119","upstream":["CVE-2024-6119"],"aliases":[],
                 "summary":"openssl: type confusion in name checks",
                 "affected":[
                  {"package":{"ecosystem":"Ubuntu:22.04:LTS","name":"openssl"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.2-0ubuntu1.18"}]}]},
                  {"package":{"ecosystem":"Ubuntu:Pro:22.04:LTS","name":"openssl"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.2-0ubuntu1.18"}]}]},
                  {"package":{"ecosystem":"Ubuntu:Pro:FIPS-updates:22.04:LTS","name":"openssl"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.2-0ubuntu1.18+Fips1"}]}]},
                  {"package":{"ecosystem":"Ubuntu:24.10","name":"openssl"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.3.1-2ubuntu2"}]}]}]}""");
        OsvDatabase db = OsvDatabase.load(dir);
        InstalledPackage libssl = new InstalledPackage("libssl3", "openssl", "3.0.2-0ubuntu1.15", "dpkg");
        assertThat(db.match(Optional.of("Ubuntu:22.04"), List.of(libssl))).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("UBUNTU-CVE-2024-6119");
            assertThat(f.attributes()).containsEntry("fixed_version", "3.0.2-0ubuntu1.18");
        });
        assertThat(db.match(Optional.of("Ubuntu:22.04"), List.of(new InstalledPackage("libssl3", "openssl",
                "3.0.2-0ubuntu1.18", "dpkg")))).isEmpty();
        assertThat(db.match(Optional.of("Ubuntu:24.10"), List.of(new InstalledPackage("libssl3", "openssl",
                "3.3.1-2ubuntu1", "dpkg")))).extracting(f -> f.attributes().get("fixed_version"))
                .containsExactly("3.3.1-2ubuntu2");
        assertThat(db.match(Optional.of("Ubuntu:24.04"), List.of(libssl))).isEmpty();
    }

    @Test
    void aMissingDirectoryIsAnEmptyDatabase() {
        assertThat(OsvDatabase.load(dir.resolve("absent")).size()).isZero();
    }
}
