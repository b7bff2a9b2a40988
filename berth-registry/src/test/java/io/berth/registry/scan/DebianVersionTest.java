package io.berth.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** dpkg's version order, as {@code dpkg --compare-versions} answers (sign of the comparison). */
class DebianVersionTest {
    @ParameterizedTest
    @CsvSource({
            "1.0, 1.0, 0",
            "1.2.3, 1.2.10, -1",
            "1:1.0, 2.0, 1",
            "0:1.0, 1.0, 0",
            "1.0~rc1, 1.0, -1",
            "1.0~~, 1.0~, -1",
            "1.0, 1.0-1, -1",
            "1.0-1, 1.0-1+deb12u1, -1",
            "2.36-9+deb12u4, 2.36-9+deb12u10, -1",
            "3.0.11-1~deb12u2, 3.0.11-1, -1",
            "1.0a, 1.0, 1",
            "1.0.0, 1.0, 1",
            "007, 7, 0"})
    void versionsOrderAsDpkgOrdersThem(String a, String b, int sign) {
        assertThat(Integer.signum(DebianVersion.compare(a, b))).isEqualTo(sign);
        assertThat(Integer.signum(DebianVersion.compare(b, a))).isEqualTo(-sign);
    }
}
