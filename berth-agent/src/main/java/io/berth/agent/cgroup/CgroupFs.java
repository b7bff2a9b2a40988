package io.berth.agent.cgroup;

import io.berth.core.runtime.RuntimeFailure;
import io.berth.core.runtime.RuntimeFailure.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reading and writing cgroup directories; every I/O error becomes a {@link RuntimeFailure} (CREATE). */
final class CgroupFs {
    /** The cgroup of every task goes under this one, as the ECS agent's ({@code /ecs}). */
    static final String PREFIX = "ecs";
    private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private CgroupFs() {
    }

    /** {@code /ecs/<task id>}: the engine's cgroup parent of the task's containers. */
    static String parent(String taskId) {
        return "/" + PREFIX + "/" + checked(taskId);
    }

    /** A task id fit to be a directory name: the last part of a task ARN. */
    static String checked(String taskId) {
        if (taskId == null || !TASK_ID.matcher(taskId).matches()) {
            throw new RuntimeFailure(Kind.CREATE, "not a task id: " + taskId);
        }
        return taskId;
    }

    static void mkdir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure("cannot create cgroup " + dir, e);
        }
    }

    /** One write of {@code value}, as {@code echo value > file} does. */
    static void write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw failure("cannot write " + value + " to " + file, e);
        }
    }

    /** The words of a file ({@code cgroup.controllers}), none when it does not exist. */
    static List<String> words(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            return List.of(Files.readString(file, StandardCharsets.US_ASCII).strip().split("\\s+"));
        } catch (IOException e) {
            throw failure("cannot read " + file, e);
        }
    }

    /** The directories right under {@code dir}. */
    static List<Path> directories(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw failure("cannot list " + dir, e);
        }
    }

    /**
     * Removes a cgroup directory if it exists. A cgroup with live children or processes refuses
     * (EBUSY). A directory that answers ENOTEMPTY instead is no cgroup but plain files laid out like
     * one (a test's temporary directory): its files go with it.
     */
    static void rmdir(Path dir) {
        try {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                List<Path> files = new ArrayList<>();
                try (Stream<Path> s = Files.list(dir)) {
                    s.forEach(files::add);
                }
                for (Path f : files) {
                    if (Files.isDirectory(f)) {
                        throw e;
                    }
                    Files.delete(f);
                }
                Files.delete(dir);
            }
        } catch (IOException e) {
            throw failure("cannot remove cgroup " + dir, e);
        }
    }

    private static RuntimeFailure failure(String what, IOException e) {
        return new RuntimeFailure(Kind.CREATE, what + ": " + e, e);
    }
}
