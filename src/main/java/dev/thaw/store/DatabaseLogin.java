package dev.thaw.store;

import java.util.Map;
import java.util.Optional;

/**
 * Who Thaw connects to its database as: Thaw's own user, which every process (runs, workers, serve, the CLI) uses
 * and which may only read and write Thaw's and Quartz's tables; and, where known, the database's owner, which alone
 * runs migrations and gives Thaw's user its rights.
 *
 * <p>For the embedded H2 file both come from the credentials file beside it ({@link CredentialsFile}); for a
 * database elsewhere (an H2 server, PostgreSQL) from the environment: {@code THAW_DB_USER} (default {@code thaw}) and
 * {@code THAW_DB_PASSWORD}; {@code THAW_DB_OWNER} and {@code THAW_DB_OWNER_PASSWORD} only where migrations may run.
 */
public record DatabaseLogin(Credentials thaw, Optional<Credentials> owner) {
    /** Thaw's user when nothing names another. */
    public static final String DEFAULT_USER = "thaw";

    /** The login the environment gives ({@code System.getenv()} in the CLI). */
    public static DatabaseLogin fromEnvironment(Map<String, String> env) {
        Credentials thaw = new Credentials(nonEmpty(env.get("THAW_DB_USER")).orElse(DEFAULT_USER),
                env.getOrDefault("THAW_DB_PASSWORD", ""));
        Optional<Credentials> owner = nonEmpty(env.get("THAW_DB_OWNER"))
                .map(user -> new Credentials(user, env.getOrDefault("THAW_DB_OWNER_PASSWORD", "")));
        return new DatabaseLogin(thaw, owner);
    }

    /** Whether {@code THAW_DB_USER} or {@code THAW_DB_PASSWORD} were set (they name a password-less database's user). */
    static boolean namesUser(Map<String, String> env) {
        return nonEmpty(env.get("THAW_DB_USER")).isPresent() || nonEmpty(env.get("THAW_DB_PASSWORD")).isPresent();
    }

    private static Optional<String> nonEmpty(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }
}
