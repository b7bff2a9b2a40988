package io.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StoreOptionTest {

    @TempDir
    Path dir;

    @Test
    void aStoreThatIsNotAPostgresUrlIsRefusedAtStartWithoutEchoingItsPassword() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new Main()).execute("server", "--port", "0", "--data-dir", dir.toString(),
                    "--store", "mysql://root:hunter2@db/berth");
        } finally {
            System.setErr(saved);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a PostgreSQL URL").doesNotContain("hunter2");
    }

    @Test
    void theDatabaseUrlSpellingAndSqliteByDefault() {
        Main.Server server = new Main.Server();
        new CommandLine(server).parseArgs("--database-url", "postgresql://u:p@h/db");
        assertThat(server.config().store()).isEqualTo("postgresql://u:p@h/db");
        assertThat(server.config().toString()).doesNotContain("u:p@");

        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("BERTH_STORE") == null, "BERTH_STORE is set");
        Main.Server plain = new Main.Server();
        new CommandLine(plain).parseArgs();
        assertThat(plain.config().store()).isNull();
    }
}
