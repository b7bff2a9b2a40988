package io.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.registry.ManualClock;
import io.berth.testkit.store.InMemoryStateStore;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryTokensTest {
    private final ManualClock clock = new ManualClock();
    private final InMemoryStateStore store = new InMemoryStateStore();
    private final Set<String> keys = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of("AKIAONE"));
    private final RegistryTokens tokens = new RegistryTokens(store,
            key -> keys.contains(key) ? Optional.of("secret") : Optional.empty(), clock);

    @Test
    void aTokenIsGoodUntilItExpires() {
        RegistryTokens.Issued issued = tokens.issue("AKIAONE", Duration.ofHours(12), RegistryTokens.ANY_SCOPE);
        assertThat(issued.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(12)));
        assertThat(tokens.verify(issued.password())).hasValueSatisfying(v -> {
            assertThat(v.accessKeyId()).isEqualTo("AKIAONE");
            assertThat(v.allows("anything")).isTrue();
        });
        clock.advance(Duration.ofHours(12).minusSeconds(1));
        assertThat(tokens.verify(issued.password())).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.verify(issued.password())).isEmpty();
    }

    @Test
    void anyChangeToATokenVoidsIt() {
        String password = tokens.issue("AKIAONE", Duration.ofHours(1), RegistryTokens.ANY_SCOPE).password();
        String[] parts = password.split("\\.");
        assertThat(tokens.verify(String.join(".", parts[0], parts[1], String.valueOf(Long.parseLong(parts[2]) + 3600),
                parts[3], parts[4]))).isEmpty();
        assertThat(tokens.verify(password.substring(0, password.length() - 2) + "AA")).isEmpty();
        assertThat(tokens.verify(password.replace("AKIAONE", "AKIATWO"))).isEmpty();
        assertThat(tokens.verify("garbage")).isEmpty();
        assertThat(tokens.verify("v1.a.b.c.d")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void deletingTheAccessKeyOrWipingTheStoreRevokesTokens() {
        String password = tokens.issue("AKIAONE", Duration.ofHours(1), RegistryTokens.ANY_SCOPE).password();
        keys.remove("AKIAONE");
        assertThat(tokens.verify(password)).isEmpty();
        keys.add("AKIAONE");
        assertThat(tokens.verify(password)).isPresent();
        store.wipe(Duration.ofSeconds(5));
        assertThat(tokens.verify(password)).isEmpty();
        String fresh = tokens.issue("AKIAONE", Duration.ofHours(1), RegistryTokens.ANY_SCOPE).password();
        assertThat(tokens.verify(fresh)).isPresent();
    }

    @Test
    void scopedTokensReachOnlyTheirScope() {
        String password = tokens.issue("AKIAONE", Duration.ofHours(1), "repo@sha256:abc").password();
        RegistryTokens.Verified v = tokens.verify(password).orElseThrow();
        assertThat(v.allows("repo@sha256:abc")).isTrue();
        assertThat(v.allows("repo@sha256:def")).isFalse();
        assertThat(v.allows(RegistryTokens.ANY_SCOPE)).isFalse();
    }
}
