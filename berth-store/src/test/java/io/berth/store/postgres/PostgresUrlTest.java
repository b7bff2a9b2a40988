package io.berth.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {

    @Test
    void splitsALibpqStyleUrlIntoJdbcUrlAndCredentials() {
        PostgresUrl url = PostgresUrl.parse("postgresql://berth:pa%40ss:w@db.example:5433/berth?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/berth?sslmode=require");
        assertThat(url.user()).isEqualTo("berth");
        assertThat(url.password()).isEqualTo("pa@ss:w");
        assertThat(url.toString()).doesNotContain("pa@ss");
    }

    @Test
    void acceptsPostgresAndJdbcSchemesAndNoCredentialsOrPort() {
        assertThat(PostgresUrl.parse("postgres://u@localhost/db"))
                .isEqualTo(new PostgresUrl("jdbc:postgresql://localhost/db", "u", null));
        assertThat(PostgresUrl.parse("jdbc:postgresql://127.0.0.1:5432/db"))
                .isEqualTo(new PostgresUrl("jdbc:postgresql://127.0.0.1:5432/db", null, null));
    }

    @Test
    void refusesWhatIsNotAPostgresUrlWithoutEchoingThePassword() {
        assertThat(PostgresUrl.matches("/var/lib/berth")).isFalse();
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://u:secret@h/db"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("secret");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:secret@h"))
                .hasMessageContaining("without a database").message().doesNotContain("secret");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:secret@/db"))
                .hasMessageContaining("without a host");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:sec ret@h/db"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("sec ret");
    }
}
