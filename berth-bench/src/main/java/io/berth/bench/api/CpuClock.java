package io.berth.bench.api;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time, to tell who used the machine during a measurement: this JVM (the load driver), another
 * process with its descendants (a server under test), and the whole machine (from /proc/stat).
 * Linux only for the last two; they read as -1 elsewhere.
 */
final class CpuClock {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private CpuClock() {
    }

    /** CPU time of this JVM in nanoseconds, or -1. */
    static long selfNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * CPU time (user + system) in nanoseconds of {@code pid} and of its live descendants, or -1 if
     * {@code pid} is not a live process (or this is not Linux).
     */
    static long processTreeNanos(long pid) {
        if (pid <= 0) {
            return -1;
        }
        Map<Long, List<Long>> children = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : dirs) {
                long[] stat = readStat(dir.resolve("stat"));
                if (stat != null) {
                    long p = Long.parseLong(dir.getFileName().toString());
                    ticks.put(p, stat[1]);
                    children.computeIfAbsent(stat[0], k -> new ArrayList<>()).add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        if (!ticks.containsKey(pid)) {
            return -1;
        }
        long total = 0;
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.removeLast();
            total += ticks.getOrDefault(p, 0L);
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return (long) (total * (1e9 / TICKS_PER_SECOND));
    }

    /** {ppid, utime + stime} from a /proc/PID/stat file, or null. */
    private static long[] readStat(Path file) {
        try {
            String s = Files.readString(file);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {busy, total} CPU time of the machine in nanoseconds (all cores), or null. */
    static long[] machineNanos() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] f = first.trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            double toNanos = 1e9 / TICKS_PER_SECOND;
            return new long[] {(long) ((total - idle) * toNanos), (long) (total * toNanos)};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
