package io.berth.agent.engine;

import static io.berth.agent.engine.Tasks.INSTANCE;
import static io.berth.agent.engine.Tasks.container;
import static io.berth.agent.engine.Tasks.running;
import static io.berth.agent.engine.Tasks.td;
import static org.assertj.core.api.Assertions.assertThat;

import io.berth.core.agent.DesiredTask;
import io.berth.core.runtime.ContainerSpec;
import io.berth.core.runtime.ImageInfo;
import io.berth.core.runtime.RegistryAuth;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.testkit.runtime.FakeContainerRuntime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActionRunnerTest {
    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final ActionRunner runner = new ActionRunner(runtime, EngineSettings.defaults());

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void aCreateAdoptsTheContainerOfAnEarlierCreateThatTimedOutInsteadOfMakingASecond() {
        runtime.addImage("nginx");
        DesiredTask task = running("t1", td("web", container("web", "nginx", "")));
        TaskSpec spec = TaskSpecs.read(task, INSTANCE, EngineSettings.defaults());
        ContainerSpec first = TaskSpecs.concrete(spec.containers().get(0), "ecs-web-1-web-aaaa", Map.of());
        ContainerSpec retry = TaskSpecs.concrete(spec.containers().get(0), "ecs-web-1-web-aaaa", Map.of());
        Action.Create create = new Action.Create(task.taskArn(), "web");

        Outcome a = runner.create(create, first, List.of());
        Outcome b = runner.create(create, retry, List.of());

        assertThat(b).isEqualTo(a);
        assertThat(runtime.containers()).hasSize(1);
    }

    @Test
    void aStartTheEngineRefusesIsCannotStartContainerErrorAndAnEngineThatIsDownIsTransient() {
        runtime.addImage("nginx");
        runtime.failStart(s -> true, "OCI runtime create failed");
        String id = runtime.create(new ContainerSpec("c", "nginx", null, null, Map.of(), null, null, Map.of(), "bridge",
                List.of(), 2, null, null, List.of(), false, false, false, List.of(), List.of(), null, null, List.of()),
                java.time.Duration.ofSeconds(1));

        Outcome refused = runner.start(new Action.Start("t", "c", id));
        runtime.setMode(FakeContainerRuntime.Mode.DOWN);
        Outcome down = runner.start(new Action.Start("t", "c", id));

        assertThat(refused).isInstanceOfSatisfying(Outcome.Failed.class,
                f -> assertThat(f.reason()).startsWith("CannotStartContainerError: ").endsWith("OCI runtime create failed"));
        assertThat(down).isInstanceOf(Outcome.Transient.class);
    }

    @Test
    void registryCredentialsGoOnlyToTheirRegistry() {
        var creds = new DesiredTask.RegistryCredentials("http://127.0.0.1:4566", "AWS", "pw");

        assertThat(ActionRunner.auth(creds, "127.0.0.1:4566/team/web:1"))
                .isEqualTo(new RegistryAuth("http://127.0.0.1:4566", "AWS", "pw"));
        assertThat(ActionRunner.auth(creds, "nginx:1.27")).isNull();
        assertThat(ActionRunner.auth(creds, "library/nginx")).isNull();
        assertThat(ActionRunner.auth(creds, "ghcr.io/team/web:1")).isNull();
        assertThat(ActionRunner.auth(null, "127.0.0.1:4566/team/web:1")).isNull();
    }

    @Test
    void theImageDigestIsTheManifestDigestOfTheImagesRepository() {
        ImageInfo info = new ImageInfo("sha256:config", List.of("mirror/web@sha256:aaa", "team/web@sha256:bbb"), 1);

        assertThat(ActionRunner.digest("team/web:1", info)).isEqualTo("sha256:bbb");
        assertThat(ActionRunner.digest("other:1", info)).isEqualTo("sha256:aaa");
        assertThat(ActionRunner.digest("local:1", new ImageInfo("sha256:c", List.of(), 1))).isNull();
        assertThat(ActionRunner.repository("127.0.0.1:4566/team/web:1")).isEqualTo("127.0.0.1:4566/team/web");
        assertThat(ActionRunner.repository("team/web@sha256:abc")).isEqualTo("team/web");
    }

    /** Credentials for 127.0.0.1:4566 ("pw-N", N counting the times asked), or a scripted failure. */
    private static final class Login implements PullCredentials {
        int asked;
        RuntimeFailure failure;
        final List<RegistryAuth> refused = new java.util.ArrayList<>();

        @Override
        public RegistryAuth forImage(String image, java.time.Duration timeout) {
            if (!image.startsWith("127.0.0.1:4566/")) {
                return null;
            }
            asked++;
            if (failure != null) {
                throw failure;
            }
            return new RegistryAuth("127.0.0.1:4566", "AWS", "pw-" + asked);
        }

        @Override
        public void refused(RegistryAuth auth) {
            refused.add(auth);
        }
    }

    private static final String OURS = "127.0.0.1:4566/team/app:1";

    private ActionRunner runner(PullBehavior behavior, Login login) {
        return new ActionRunner(runtime, EngineSettings.defaults().withPullBehavior(behavior), login);
    }

    @Test
    void imagesOfBerthsRegistryArePulledWithTheLoginsCredentialsAndOthersAnonymously() {
        runtime.requireLogin("127.0.0.1:4566", "AWS", "pw-1");
        runtime.publishImage(OURS);
        runtime.publishImage("busybox:1.36");
        Login login = new Login();

        Outcome ours = runner(PullBehavior.ALWAYS, login).pull(new Action.Pull("t", "c", OURS), null);
        Outcome hub = runner(PullBehavior.ALWAYS, login).pull(new Action.Pull("t", "d", "busybox:1.36"), null);

        assertThat(ours).isInstanceOf(Outcome.Pulled.class);
        assertThat(hub).isInstanceOf(Outcome.Pulled.class);
        assertThat(runtime.pullAuths()).containsExactly(new RegistryAuth("127.0.0.1:4566", "AWS", "pw-1"), null);
    }

    @Test
    void aCachedImageNeedsNoLoginWhenThePullBehaviourPrefersTheCache() {
        runtime.addImage(OURS);
        Login login = new Login();
        for (PullBehavior b : List.of(PullBehavior.ONCE, PullBehavior.PREFER_CACHED)) {
            assertThat(runner(b, login).pull(new Action.Pull("t", "c", OURS), null)).isInstanceOf(Outcome.Pulled.class);
        }
        assertThat(login.asked).isZero();
        assertThat(runtime.count("pull")).isZero();
    }

    @Test
    void aRefusedPullIsCannotPullContainerErrorWithTheRegistrysMessageAndTheCredentialsAreDropped() {
        runtime.requireLogin("127.0.0.1:4566", "AWS", "another-password");
        runtime.publishImage(OURS);
        Login login = new Login();

        Outcome refused = runner(PullBehavior.ALWAYS, login).pull(new Action.Pull("t", "c", OURS), null);

        assertThat(refused).isInstanceOfSatisfying(Outcome.PullFailed.class, f -> assertThat(f.reason())
                .isEqualTo("CannotPullContainerError: pull " + OURS + ": unauthorized: authentication required"));
        assertThat(login.refused).containsExactly(new RegistryAuth("127.0.0.1:4566", "AWS", "pw-1"));
    }

    @Test
    void aMissingTagIsCannotPullContainerErrorAndKeepsTheCredentials() {
        runtime.requireLogin("127.0.0.1:4566", "AWS", "pw-1");
        runtime.failPull("127.0.0.1:4566/team/app:nope", "manifest unknown: the tag nope does not exist");
        Login login = new Login();

        Outcome missing = runner(PullBehavior.DEFAULT, login)
                .pull(new Action.Pull("t", "c", "127.0.0.1:4566/team/app:nope"), null);

        assertThat(missing).isInstanceOfSatisfying(Outcome.PullFailed.class, f -> assertThat(f.reason())
                .startsWith("CannotPullContainerError: ").endsWith("manifest unknown: the tag nope does not exist"));
        assertThat(login.refused).isEmpty();
    }

    @Test
    void aLoginTheServerRefusesFailsThePullButTheDefaultBehaviourFallsBackToTheCachedImage() {
        Login login = new Login();
        login.failure = new RuntimeFailure(RuntimeFailure.Kind.IMAGE_PULL,
                "cannot get a token for Berth's registry: GetAuthorizationToken: 403 AccessDeniedException");

        Outcome always = runner(PullBehavior.ALWAYS, login).pull(new Action.Pull("t", "c", OURS), null);
        runtime.addImage(OURS);
        Outcome fallback = runner(PullBehavior.DEFAULT, login).pull(new Action.Pull("t", "c", OURS), null);

        assertThat(always).isInstanceOfSatisfying(Outcome.PullFailed.class, f -> assertThat(f.reason())
                .isEqualTo("CannotPullContainerError: cannot get a token for Berth's registry: "
                        + "GetAuthorizationToken: 403 AccessDeniedException"));
        assertThat(fallback).isInstanceOf(Outcome.Pulled.class);
        assertThat(runtime.count("pull")).isZero();
    }

    @Test
    void aServerThatDoesNotAnswerForTheLoginIsTransient() {
        Login login = new Login();
        login.failure = new RuntimeFailure(RuntimeFailure.Kind.UNAVAILABLE, "connection refused");

        assertThat(runner(PullBehavior.ALWAYS, login).pull(new Action.Pull("t", "c", OURS), null))
                .isInstanceOf(Outcome.Transient.class);
    }

    @Test
    void credentialsTheServerSentWinOverTheLogin() {
        runtime.publishImage(OURS);
        Login login = new Login();
        RegistryAuth sent = new RegistryAuth("127.0.0.1:4566", "AWS", "sent");

        runner(PullBehavior.ALWAYS, login).pull(new Action.Pull("t", "c", OURS), sent);

        assertThat(login.asked).isZero();
        assertThat(runtime.pullAuths()).containsExactly(sent);
    }
}
