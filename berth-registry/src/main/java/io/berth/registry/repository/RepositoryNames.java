package io.berth.registry.repository;

import java.util.regex.Pattern;

/** The naming rules of repositories (ECR's, which are within the OCI distribution spec's). */
public final class RepositoryNames {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");

    private RepositoryNames() {
    }

    public static boolean valid(String name) {
        return name != null && name.length() >= 2 && name.length() <= 256 && NAME.matcher(name).matches();
    }
}
