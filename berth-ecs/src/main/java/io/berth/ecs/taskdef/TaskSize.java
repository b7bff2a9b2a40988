package io.berth.ecs.taskdef;

import io.berth.core.error.BerthException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Task-level {@code cpu} and {@code memory}: their string forms and the sizes Fargate offers.
 *
 * <p>AWS accepts CPU units ({@code "1024"}) or vCPUs ({@code "1 vCPU"}, {@code "0.5 vcpu"}), and
 * memory in MiB ({@code "2048"}) or GB ({@code "2 GB"}, {@code "2GB"}); it stores and returns the
 * integer forms. Stateless.
 */
public final class TaskSize {
    /** EC2 (and external) task CPU: 0.125 to 192 vCPUs (RegisterTaskDefinitionRequest.cpu). */
    public static final int MIN_EC2_CPU = 128;
    public static final int MAX_EC2_CPU = 196_608;

    private static final Pattern CPU = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(vcpus?)?\\s*");
    private static final Pattern MEMORY = Pattern.compile("(?i)\\s*(\\d+(?:\\.\\d+)?)\\s*(gb|gib|mb|mib)?\\s*");

    private TaskSize() {
    }

    /**
     * CPU units of a task {@code cpu} string.
     *
     * @throws BerthException InvalidParameterException "Invalid 'cpu' setting for task." when it is
     *     not a number of units or vCPUs (what AWS answers for e.g. an empty string)
     */
    public static int parseCpu(String text) {
        Matcher m = CPU.matcher(text);
        if (!m.matches()) {
            throw BerthException.invalidParameter("Invalid 'cpu' setting for task.");
        }
        BigDecimal n = new BigDecimal(m.group(1));
        if (m.group(2) != null) {
            n = n.multiply(BigDecimal.valueOf(1024));
        }
        return whole(n, "cpu");
    }

    /** MiB of a task {@code memory} string; see {@link #parseCpu} for the error. */
    public static int parseMemory(String text) {
        Matcher m = MEMORY.matcher(text);
        if (!m.matches()) {
            throw BerthException.invalidParameter("Invalid 'memory' setting for task.");
        }
        BigDecimal n = new BigDecimal(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        if (unit.startsWith("g")) {
            n = n.multiply(BigDecimal.valueOf(1024));
        }
        return whole(n, "memory");
    }

    /** Like {@link #parseCpu} for an optional member; empty when absent. */
    static OptionalInt cpuOf(String textOrNull) {
        return textOrNull == null ? OptionalInt.empty() : OptionalInt.of(parseCpu(textOrNull));
    }

    static OptionalInt memoryOf(String textOrNull) {
        return textOrNull == null ? OptionalInt.empty() : OptionalInt.of(parseMemory(textOrNull));
    }

    private static int whole(BigDecimal n, String what) {
        try {
            int value = n.stripTrailingZeros().intValueExact();
            if (value > 0) {
                return value;
            }
        } catch (ArithmeticException e) {
            // a fraction of a unit, or too large: not a setting AWS takes
        }
        throw BerthException.invalidParameter("Invalid '" + what + "' setting for task.");
    }

    /**
     * Whether Fargate offers a task of {@code cpu} units and {@code memoryMiB} (task-cpu-memory-error;
     * ECS-NOTES.md "Fargate"): 256 → 512, 1024, 2048; 512 → 1–4 GB; 1024 → 2–8 GB; 2048 → 4–16 GB;
     * 4096 → 8–30 GB (1 GB steps); 8192 → 16–60 GB (4 GB steps); 16384 → 32–120 GB (8 GB steps).
     */
    public static boolean fargateOffers(int cpu, int memoryMiB) {
        return switch (cpu) {
            case 256 -> memoryMiB == 512 || memoryMiB == 1024 || memoryMiB == 2048;
            case 512 -> stepped(memoryMiB, 1, 4, 1);
            case 1024 -> stepped(memoryMiB, 2, 8, 1);
            case 2048 -> stepped(memoryMiB, 4, 16, 1);
            case 4096 -> stepped(memoryMiB, 8, 30, 1);
            case 8192 -> stepped(memoryMiB, 16, 60, 4);
            case 16384 -> stepped(memoryMiB, 32, 120, 8);
            default -> false;
        };
    }

    private static boolean stepped(int memoryMiB, int minGb, int maxGb, int stepGb) {
        return memoryMiB >= minGb * 1024 && memoryMiB <= maxGb * 1024 && memoryMiB % (stepGb * 1024) == 0;
    }
}
