package io.berth.lb.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthStateMachineTest {
    /** Walks a sequence of results (P pass, F fail, T timeout, M code mismatch) with thresholds healthy 3, unhealthy 2. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'',       initial/Elb.RegistrationInProgress",
            "P,        initial/Elb.InitialHealthChecking",
            "PP,       initial/Elb.InitialHealthChecking",
            "PPP,      healthy/",
            "F,        initial/Elb.InitialHealthChecking",
            "FF,       unhealthy/Target.FailedHealthChecks",
            "PPPF,     healthy/",
            "PPPFF,    unhealthy/Target.FailedHealthChecks",
            "PPPFT,    unhealthy/Target.Timeout",
            "PPPMM,    unhealthy/Target.ResponseCodeMismatch",
            "PPPFPF,   healthy/",
            "FFP,      unhealthy/Target.FailedHealthChecks",
            "FFPP,     unhealthy/Target.FailedHealthChecks",
            "FFPPP,    healthy/",
            "FFPPFPPP, healthy/",
            "FFT,      unhealthy/Target.Timeout",
    })
    void resultsMoveTargetsThroughTheStates(String results, String expected) {
        HealthStateMachine.Status status = HealthStateMachine.Status.NEW;
        for (char c : results.toCharArray()) {
            TargetHealth failure = switch (c) {
                case 'P' -> null;
                case 'T' -> TargetHealth.timeout();
                case 'M' -> TargetHealth.responseCodeMismatch(500);
                default -> TargetHealth.failed();
            };
            status = HealthStateMachine.next(status, failure, 3, 2);
        }
        TargetHealth h = status.health();
        assertThat(h.state() + "/" + (h.reason() == null ? "" : h.reason())).isEqualTo(expected);
    }
}
