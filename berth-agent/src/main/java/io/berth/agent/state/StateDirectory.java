package io.berth.agent.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The agent's state directory.
 *
 * <pre>
 *   &lt;dir&gt;/               0700
 *     agent.json          0600  {"cluster", "containerInstanceArn", "ec2InstanceId", "token"}
 *     agent.json.tmp            only while being written
 * </pre>
 *
 * Writes are atomic and durable: the new content goes to {@code agent.json.tmp}, is fsynced, renamed
 * over {@code agent.json}, and the directory is fsynced; a crash leaves the old or the new file,
 * never a torn one. Not for concurrent use by two agents.
 */
public final class StateDirectory {
    static final String FILE = "agent.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path dir;

    private StateDirectory(Path dir) {
        this.dir = dir;
    }

    /** The state directory at {@code dir}, created (0700) if missing. */
    public static StateDirectory open(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (POSIX) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the agent state directory " + dir, e);
        }
        return new StateDirectory(dir);
    }

    public Path dir() {
        return dir;
    }

    /** The saved state, or empty when there is none yet. */
    public Optional<AgentState> load() {
        Path file = dir.resolve(FILE);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), AgentState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent state " + file
                    + " (remove it to register as a new container instance)", e);
        }
    }

    /** Replaces the saved state, atomically and durably. */
    public void save(AgentState state) {
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state);
            Files.deleteIfExists(tmp);
            if (POSIX) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent state " + file, e);
        }
    }

    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open or sync a directory; the rename is still atomic
        }
    }
}
