package io.berth.agent.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryLoginTest {
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final URI SERVER = URI.create("http://localhost:4566");

    private final Clock clock = new Clock();
    private final FakeTokens tokens = new FakeTokens();
    private final RegistryLogin login = new RegistryLogin(SERVER, tokens, clock);

    /** A clock that moves only when told. */
    private static final class Clock implements InstantSource {
        private Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** Tokens like the server's: 12 hours, for 127.0.0.1:4566; or a scripted failure. */
    private final class FakeTokens implements TokenSource {
        int fetches;
        final Deque<RuntimeFailure> failures = new ArrayDeque<>();

        @Override
        public AuthorizationToken fetch(Duration timeout) {
            fetches++;
            if (!failures.isEmpty()) {
                throw failures.pop();
            }
            return new AuthorizationToken("AWS", "pw-" + fetches, clock.instant().plus(Duration.ofHours(12)),
                    Set.of("127.0.0.1:4566"));
        }
    }

    @Test
    void anImageOfTheServersRegistryGetsTheTokensUserAndPassword() {
        RegistryAuth auth = login.forImage("localhost:4566/team/app:1", TIMEOUT);

        assertThat(auth).isEqualTo(new RegistryAuth("localhost:4566", "AWS", "pw-1"));
    }

    @Test
    void theTokenIsReusedUntilShortlyBeforeItExpires() {
        login.forImage("localhost:4566/app:1", TIMEOUT);
        clock.advance(Duration.ofHours(11).plusMinutes(44));
        assertThat(login.forImage("localhost:4566/app:2", TIMEOUT).password()).isEqualTo("pw-1");
        assertThat(tokens.fetches).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2)); // 11 h 46: within 15 minutes of expiry
        assertThat(login.forImage("localhost:4566/app:3", TIMEOUT).password()).isEqualTo("pw-2");
        assertThat(tokens.fetches).isEqualTo(2);
    }

    @Test
    void aShortLivedTokenIsRefreshedHalfwayThroughItsLife() {
        assertThat(RegistryLogin.refreshAt(T0, T0.plus(Duration.ofMinutes(10)))).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(RegistryLogin.refreshAt(T0, T0.plus(Duration.ofHours(12))))
                .isEqualTo(T0.plus(Duration.ofHours(12)).minus(RegistryLogin.REFRESH_MARGIN));
        assertThat(RegistryLogin.refreshAt(T0, T0.minusSeconds(1))).isEqualTo(T0);
    }

    @Test
    void anAddressTheRegistryReportsIsTheServersToo() {
        assertThat(login.forImage("127.0.0.1:4566/app:1", TIMEOUT))
                .isEqualTo(new RegistryAuth("127.0.0.1:4566", "AWS", "pw-1"));
    }

    @Test
    void imagesOfOtherRegistriesArePulledAnonymouslyWithoutAskingTheServerAgain() {
        assertThat(login.forImage("busybox:1.36", TIMEOUT)).isNull();
        assertThat(tokens.fetches).isZero(); // Docker Hub: nothing to learn

        assertThat(login.forImage("ghcr.io/team/app:1", TIMEOUT)).isNull();
        assertThat(tokens.fetches).isEqualTo(1); // learned the registry's addresses once
        assertThat(login.forImage("ghcr.io/team/app:2", TIMEOUT)).isNull();
        assertThat(login.forImage("127.0.0.2:4566/app:1", TIMEOUT)).isNull();
        assertThat(tokens.fetches).isEqualTo(1);
    }

    @Test
    void aServerThatCannotSayItsAddressesIsAskedAtMostOnceAMinute() {
        tokens.failures.add(new RuntimeFailure(Kind.UNAVAILABLE, "down"));
        assertThat(login.forImage("ghcr.io/app:1", TIMEOUT)).isNull();
        assertThat(login.forImage("ghcr.io/app:1", TIMEOUT)).isNull();
        assertThat(tokens.fetches).isEqualTo(1);

        clock.advance(RegistryLogin.DISCOVERY_BACKOFF);
        assertThat(login.forImage("127.0.0.1:4566/app:1", TIMEOUT)).isNotNull();
        assertThat(tokens.fetches).isEqualTo(2);
    }

    @Test
    void aRefusedOrUnreachableServerFailsThePullOfItsImagesAndIsAskedAgainNextTime() {
        tokens.failures.add(new RuntimeFailure(Kind.IMAGE_PULL, "cannot get a token: 403 AccessDeniedException"));
        tokens.failures.add(new RuntimeFailure(Kind.UNAVAILABLE, "cannot get a token: connection refused"));

        assertThatThrownBy(() -> login.forImage("localhost:4566/app:1", TIMEOUT))
                .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.kind()).isEqualTo(Kind.IMAGE_PULL));
        assertThatThrownBy(() -> login.forImage("localhost:4566/app:1", TIMEOUT))
                .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.kind()).isEqualTo(Kind.UNAVAILABLE));
        assertThat(login.forImage("localhost:4566/app:1", TIMEOUT).password()).isEqualTo("pw-3");
    }

    @Test
    void aTokenTheRegistryRefusedIsDroppedAndAnotherOneFetched() {
        RegistryAuth first = login.forImage("localhost:4566/app:1", TIMEOUT);
        login.refused(new RegistryAuth("localhost:4566", "AWS", "some-other-password"));
        assertThat(login.forImage("localhost:4566/app:1", TIMEOUT).password()).isEqualTo("pw-1");

        login.refused(first);
        assertThat(login.forImage("localhost:4566/app:1", TIMEOUT).password()).isEqualTo("pw-2");
    }
}
