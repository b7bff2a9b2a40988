package io.berth.core.runtime;

/**
 * @param cpus logical CPUs the engine can use
 * @param memoryBytes memory the engine can use
 * @param osType e.g. linux
 * @param architecture e.g. x86_64 (as the engine reports it)
 * @param engineVersion e.g. 20.10.24
 * @param apiVersion the engine API version in use
 */
public record HostInfo(int cpus, long memoryBytes, String osType, String architecture, String engineVersion,
                       String apiVersion) {
}
