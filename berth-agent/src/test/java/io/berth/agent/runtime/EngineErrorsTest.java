package io.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class EngineErrorsTest {

    @Test
    void anEngineErrorCarriesTheEnginesOwnMessage() {
        var e = new InternalServerErrorException("{\"message\":\"failed to create shim task: exec: \\\"nope\\\": "
                + "executable file not found in $PATH: unknown\"}\n");
        RuntimeFailure f = EngineErrors.translate("start container c1", e, Kind.START, Kind.NOT_FOUND);
        assertThat(f.kind()).isEqualTo(Kind.START);
        assertThat(f.getMessage()).isEqualTo(
                "start container c1: failed to create shim task: exec: \"nope\": executable file not found in $PATH: unknown");
        assertThat(f.getCause()).isSameAs(e);
    }

    @Test
    void notFoundIsTheCallersKind() {
        var e = new NotFoundException("{\"message\":\"No such container: c1\"}");
        assertThat(EngineErrors.translate("stop", e, Kind.UNAVAILABLE, Kind.NOT_FOUND).kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(EngineErrors.translate("create", new ConflictException("{\"message\":\"in use\"}"), Kind.CREATE,
                Kind.CREATE).getMessage()).isEqualTo("create: in use");
    }

    @Test
    void aBodyThatIsNotJsonIsTheMessageAsItIs() {
        assertThat(EngineErrors.messageOf("page not found")).isEqualTo("page not found");
        assertThat(EngineErrors.messageOf("{broken")).isEqualTo("{broken");
    }

    @Test
    void noAnswerIsUnavailableOrTimeout() {
        var refused = new RuntimeException(new SocketException("No such file or directory"));
        assertThat(EngineErrors.translate("info", refused, Kind.CREATE, Kind.CREATE).kind()).isEqualTo(Kind.UNAVAILABLE);
        var slow = new RuntimeException(new SocketTimeoutException("Read timed out"));
        assertThat(EngineErrors.translate("info", slow, Kind.CREATE, Kind.CREATE).kind()).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void aRuntimeFailurePassesThrough() {
        var failure = new RuntimeFailure(Kind.IMAGE_NOT_FOUND, "No such image: x");
        assertThat(EngineErrors.translate("create", failure, Kind.CREATE, Kind.CREATE)).isSameAs(failure);
    }
}
