package io.berth.core.runtime;

/** Credentials for one registry server (as in {@code docker login}). */
public record RegistryAuth(String serverAddress, String username, String password) {
    @Override
    public String toString() {
        return "RegistryAuth[" + serverAddress + ", " + username + ", ***]";
    }
}
