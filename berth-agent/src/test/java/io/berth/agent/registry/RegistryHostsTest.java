package io.berth.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryHostsTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "busybox, null",
            "busybox:1.36, null",
            "library/busybox, null",
            "team/app:1, null",
            "127.0.0.1:4566/team/app:1, 127.0.0.1:4566",
            "127.0.0.1:4566/app@sha256:abc, 127.0.0.1:4566",
            "localhost/app, localhost",
            "localhost:5000/app, localhost:5000",
            "Registry.Example.com/app, registry.example.com",
            "ghcr.io/team/app:1, ghcr.io",
            "[::1]:4566/app, [::1]:4566",
            "/app, null",
    })
    void theRegistryOfAnImageIsWhatDockerPullsFrom(String image, String registry) {
        assertThat(RegistryHosts.registryOf(image)).isEqualTo(registry);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "http://127.0.0.1:4566, 127.0.0.1:4566",
            "http://127.0.0.1:4566/, 127.0.0.1:4566",
            "https://Berth.Example.com, berth.example.com",
            "127.0.0.1:4566, 127.0.0.1:4566",
            "http://[::1]:4566, [::1]:4566",
            "'', null",
            "null, null",
    })
    void anAddressIsTheHostAndPortOfAUrl(String url, String authority) {
        assertThat(RegistryHosts.authority(url)).isEqualTo(authority);
    }
}
