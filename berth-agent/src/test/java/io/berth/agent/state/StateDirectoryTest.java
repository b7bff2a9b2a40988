package io.berth.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aNewDirectoryHasNoState() {
        StateDirectory dir = StateDirectory.open(tmp.resolve("agent"));

        assertThat(dir.load()).isEmpty();
        assertThat(tmp.resolve("agent")).isDirectory();
    }

    @Test
    void savesAtomicallyAndReadsBack() throws Exception {
        StateDirectory dir = StateDirectory.open(tmp.resolve("agent"));
        AgentState first = new AgentState("default", "arn:aws:ecs:us-east-1:0:container-instance/default/a", "i-1", "t1");
        AgentState second = new AgentState("default", first.containerInstanceArn(), "i-1", "t2");

        dir.save(first);
        dir.save(second);

        assertThat(StateDirectory.open(tmp.resolve("agent")).load()).contains(second);
        try (var files = Files.list(tmp.resolve("agent"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("agent.json");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("agent/agent.json"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("agent"))))
                .isEqualTo("rwx------");
        assertThat(second.toString()).doesNotContain("t2");
    }

    @Test
    void aLeftoverTemporaryFileFromACrashIsIgnoredAndReplaced() throws Exception {
        StateDirectory dir = StateDirectory.open(tmp);
        AgentState state = new AgentState("default", "arn:x", "i-1", "t");
        dir.save(state);
        Files.writeString(tmp.resolve("agent.json.tmp"), "{\"cluster\":\"torn");

        assertThat(dir.load()).contains(state);
        dir.save(state);
        assertThat(tmp.resolve("agent.json.tmp")).doesNotExist();
    }

    @Test
    void aCorruptStateFileSaysWhatToDo() throws Exception {
        Files.writeString(tmp.resolve("agent.json"), "not json");

        assertThatThrownBy(() -> StateDirectory.open(tmp).load()).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("remove it");
    }
}
