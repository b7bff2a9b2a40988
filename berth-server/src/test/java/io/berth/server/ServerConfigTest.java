package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.arn.Account;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    private static ServerConfig on(String host, String advertised) {
        return new ServerConfig(host, 4566, Path.of("/tmp/x"), new Account("000000000000", "us-east-1"), false,
                null, null, null, advertised, null);
    }

    @Test
    void clientsAreToldTheAdvertisedHostElseTheListenAddress() {
        assertThat(on("127.0.0.1", null).publicHost()).isEqualTo("127.0.0.1");
        assertThat(on("0.0.0.0", null).publicHost()).isEqualTo("127.0.0.1");
        assertThat(on("::", null).publicHost()).isEqualTo("127.0.0.1");
        assertThat(on("::1", null).publicHost()).isEqualTo("[::1]");
        assertThat(on("0.0.0.0", "berth.internal").publicHost()).isEqualTo("berth.internal");
        assertThat(on("0.0.0.0", "fd00::5").publicHost()).isEqualTo("[fd00::5]");
    }
}
