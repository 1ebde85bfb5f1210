package dev.thaw.store;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * The credentials of an embedded H2 database, kept beside it in {@code thaw.credentials}, readable by its user only
 * (0600, in a 0700 folder): the owner's (H2's admin: migrations, users, rights) and Thaw's user's.
 * Written whole or not at all (a private temporary file moved into place).
 */
record CredentialsFile(Credentials owner, Credentials thaw) {
    static final String NAME = "thaw.credentials";
    /** Written before an old database's passwords change, renamed to {@link #NAME} once they have. */
    static final String PENDING = "thaw.credentials.pending";

    static Path path(Path folder) {
        return folder.resolve(NAME);
    }

    static Optional<CredentialsFile> read(Path folder) {
        return readFile(path(folder));
    }

    /** Credentials written for a change of passwords that a killed process may not have made. */
    static Optional<CredentialsFile> readPending(Path folder) {
        return readFile(folder.resolve(PENDING));
    }

    /** Makes the pending credentials the database's, once its passwords are changed. */
    static void promotePending(Path folder) {
        try {
            Files.move(folder.resolve(PENDING), path(folder), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + folder.resolve(PENDING) + " to " + NAME, e);
        }
    }

    private static Optional<CredentialsFile> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage() + "; it holds the database's "
                    + "passwords and must be readable by this user", e);
        }
        for (String key : new String[]{"owner.user", "owner.password", "thaw.user", "thaw.password"}) {
            if (p.getProperty(key, "").isEmpty()) {
                throw new StoreException(file + " has no " + key + "; restore it from a backup (it holds the "
                        + "database's passwords), or remove it and set THAW_DB_USER and THAW_DB_PASSWORD to the "
                        + "owner's");
            }
        }
        return Optional.of(new CredentialsFile(new Credentials(p.getProperty("owner.user"), p.getProperty("owner.password")),
                new Credentials(p.getProperty("thaw.user"), p.getProperty("thaw.password"))));
    }

    CredentialsFile withThaw(Credentials newThaw) {
        return new CredentialsFile(owner, newThaw);
    }

    void write(Path folder) {
        write(folder, NAME);
    }

    /** Writes these as the pending credentials ({@link #PENDING}). */
    void writePending(Path folder) {
        write(folder, PENDING);
    }

    private void write(Path folder, String name) {
        Path file = folder.resolve(name);
        try {
            Path temp = Files.createTempFile(folder, ".thaw-credentials", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                out.write("# The passwords of thaw.mv.db: keep this file private (0600) and with the database.\n"
                        + "# owner: migrations and rights only; thaw: what every Thaw process connects as.\n");
                out.write("owner.user=" + owner.user() + "\nowner.password=" + owner.password() + "\n");
                out.write("thaw.user=" + thaw.user() + "\nthaw.password=" + escaped(thaw.password()) + "\n");
            }
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true); // on disk before it is named: a power cut leaves the old file or this one
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (UnsupportedOperationException e) {
            throw new StoreException("cannot keep the database's passwords private in " + folder
                    + ": the file system has no POSIX permissions; put the results folder on one that has", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A value as java.util.Properties reads it back exactly (THAW_DB_PASSWORD may hold any character). */
    private static String escaped(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '#' || c == '!' || c == '=' || c == ':' || (b.isEmpty() && c == ' ')) {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
