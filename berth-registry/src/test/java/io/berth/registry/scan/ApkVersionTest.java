package io.berth.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * apk's version order, as {@code apk version -t} (apk-tools 3) answers: the sign of the comparison.
 * Most rows come from apk-tools' own test/version.data.
 */
class ApkVersionTest {
    @ParameterizedTest
    @CsvSource({
            // numbers
            "1.0, 1.0, 0",
            "1.2.3, 1.2.10, -1",
            "1.2.1, 1.2, 1",
            "1.2.12.1, 1.2.13, -1",
            "006, 1.0.0, 1",
            "20050718-r1, 2.59, 1",
            // a dotted component with a leading zero compares as text
            "1.01, 1.1, -1",
            "1.10, 1.09, 1",
            "1.02, 1.03-r1, -1",
            "1.2.07.8, 1.2.12.04, -1",
            "0.01, 0.06, -1",
            // letters
            "1.0a, 1.0, 1",
            "1.1a, 1.3a, -1",
            "2.5.1-r8, 2.5.1a-r1, -1",
            // suffixes: _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p
            "1.0_alpha, 1.0_beta, -1",
            "1.0_beta2, 1.0_pre1, -1",
            "1.0_pre9, 1.0_rc1, -1",
            "1.0_rc9, 1.0, -1",
            "6.0_pre1, 6.0, -1",
            "6.0_p1, 6.0, 1",
            "1.0, 1.0_cvs, -1",
            "1.0_cvs, 1.0_svn, -1",
            "1.0_svn, 1.0_git, -1",
            "1.0_git, 1.0_hg, -1",
            "1.0_hg, 1.0_p1, -1",
            "0.1.0_alpha2, 0.1.0_alpha, 1",
            "0.1.0_alpha_pre2, 0.1.0_alpha, -1",
            "1.0_p10-r0, 1.0_p9-r0, 1",
            "1.3_pre1-r1, 1.3.2, -1",
            "2.0.0_rc3-r1, 1.5, 1",
            "1.0.0_pre20191002222144-r0, 1.0.0_pre20210530193627-r0, -1",
            // revisions come last
            "1.0, 1.0-r1, -1",
            "1.2.3-r4, 1.2.3-r10, -1",
            "1.36.1-r15, 1.36.1-r2, 1",
            "4.5_p1, 4.5_p1-r1, -1",
            "1.3-r0, 1.3.1-r0, -1",
            "2.0_rc1-r5, 2.0, -1",
            "1.0~abc1-r0, 1.0-r0, 1",
            "1.0, 1.0~abc1, -1",
            // malformed: older than anything from where it goes wrong
            "1.0, 1.0bc, -1",
            "23_foo, 4_beta, 1",
            "1.0_foo, 1.0, -1",
            "1.0-1, 1.0, -1"})
    void versionsOrderAsApkOrdersThem(String a, String b, int sign) {
        assertThat(Integer.signum(ApkVersion.compare(a, b))).isEqualTo(sign);
        assertThat(Integer.signum(ApkVersion.compare(b, a))).isEqualTo(-sign);
    }
}
