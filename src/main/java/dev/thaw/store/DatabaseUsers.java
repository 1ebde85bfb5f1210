package dev.thaw.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The two users of a Thaw database and their rights: the owner, which runs migrations, and Thaw's user, which may
 * read and write Thaw's and Quartz's tables and nothing else — on H2 not an admin (so no aliases, file functions,
 * linked tables, scripts or settings), on PostgreSQL a role that owns nothing and creates nothing.
 */
final class DatabaseUsers {
    /** The owner of an embedded database Thaw creates. */
    static final String OWNER = "THAW_OWNER";
    private static final String LEGACY_USER = "sa";

    private DatabaseUsers() {
    }

    /**
     * The login of the embedded H2 database {@code <folder>/<name>.mv.db}: read from its credentials file; generated
     * (and written first) for a new database; for a database made before passwords (user {@code sa}, no password,
     * or what {@code THAW_DB_USER}/{@code THAW_DB_PASSWORD} say), the owner gets a generated password, Thaw's user is
     * made, and one line says so.
     *
     * @throws StoreException when a database without the file refuses the old login
     */
    static DatabaseLogin embedded(String url, Path folder, String name, Map<String, String> env,
                                  Consumer<String> notices) {
        Optional<CredentialsFile> stored = CredentialsFile.read(folder);
        if (stored.isPresent()) {
            return new DatabaseLogin(stored.get().thaw(), Optional.of(stored.get().owner()));
        }
        String given = env.getOrDefault("THAW_DB_PASSWORD", "");
        Credentials thaw = new Credentials(DatabaseLogin.DEFAULT_USER.toUpperCase(java.util.Locale.ROOT),
                given.isEmpty() ? Credentials.generatedPassword() : given);
        Path file = folder.resolve(name + ".mv.db");
        if (!Files.exists(file)) {
            CredentialsFile created = new CredentialsFile(new Credentials(OWNER, Credentials.generatedPassword()), thaw);
            created.write(folder);
            return new DatabaseLogin(created.thaw(), Optional.of(created.owner()));
        }
        // a move to passwords that was killed part way: done if the pending owner's login works, else made again
        Optional<CredentialsFile> pending = CredentialsFile.readPending(folder);
        if (pending.isPresent()) {
            try (Connection c = connect(url, pending.get().owner())) {
                grant(c, pending.get().owner(), pending.get().thaw());
                CredentialsFile.promotePending(folder);
                return new DatabaseLogin(pending.get().thaw(), Optional.of(pending.get().owner()));
            } catch (SQLException e) {
                // its passwords never changed: the old login below still opens it
            }
        }
        String oldUser = env.getOrDefault("THAW_DB_USER", "").isEmpty() ? LEGACY_USER : env.get("THAW_DB_USER");
        if (oldUser.equalsIgnoreCase(thaw.user())) {
            throw new StoreException(file + " was made with the user " + oldUser + ", the name Thaw's own user "
                    + "needs; open it once with THAW_DB_USER set to another admin of it");
        }
        // made before passwords: with THAW_DB_PASSWORD if it was set then, or with none (and it may be set now)
        List<Credentials> tries = given.isEmpty() ? List.of(new Credentials(oldUser, ""))
                : List.of(new Credentials(oldUser, given), new Credentials(oldUser, ""));
        SQLException refused = null;
        for (Credentials old : tries) {
            try (Connection c = connect(url, old)) {
                return movedToPasswords(c, old, thaw, folder, file, notices);
            } catch (SQLException e) {
                refused = e;
            }
        }
        throw new StoreException("cannot open " + file + ": it has no " + CredentialsFile.NAME + " beside it and "
                + "refused the user " + oldUser + (given.isEmpty() ? " without a password" : " with THAW_DB_PASSWORD "
                + "and without") + " (" + Database.rootMessage(refused) + "); restore " + CredentialsFile.NAME
                + ", or set THAW_DB_USER and THAW_DB_PASSWORD to an admin of it for one run", refused);
    }

    private static DatabaseLogin movedToPasswords(Connection c, Credentials old, Credentials thaw, Path folder,
                                                  Path file, Consumer<String> notices) throws SQLException {
        // Thaw's password is made afresh: THAW_DB_PASSWORD was the admin's
        CredentialsFile moved = new CredentialsFile(new Credentials(old.user().toUpperCase(java.util.Locale.ROOT),
                Credentials.generatedPassword()), new Credentials(thaw.user(), Credentials.generatedPassword()));
        // written first as pending, named the database's only once its owner's password has changed: a kill between
        // the two leaves a pending file that the next open checks (see embedded)
        moved.writePending(folder);
        try (Statement st = c.createStatement()) {
            durable(c);
            st.execute("ALTER USER " + moved.owner().user() + " SET PASSWORD " + literal(moved.owner().password()));
            st.execute("CHECKPOINT SYNC"); // on disk before the credentials file says so
        } catch (SQLException e) {
            deleteQuietly(folder.resolve(CredentialsFile.PENDING));
            throw e;
        }
        CredentialsFile.promotePending(folder);
        notices.accept(file + (old.password().isEmpty() ? " had no password" : " was opened as its admin "
                + old.user()) + ": " + old.user() + " now has a generated password, and Thaw connects as "
                + thaw.user() + ", which may only read and write Thaw's tables; both kept in "
                + CredentialsFile.path(folder) + " (0600)");
        return new DatabaseLogin(moved.thaw(), Optional.of(moved.owner()));
    }

    /**
     * As the owner: makes Thaw's user if it is missing and sets its password (H2), and gives it exactly the rights on
     * every table of the schema (select, insert, update, delete; on PostgreSQL also the sequences behind identity
     * columns and the use of the schema).
     */
    static void grant(Connection c, Credentials owner, Credentials thaw) throws SQLException {
        boolean postgres = c.getMetaData().getURL().startsWith("jdbc:postgresql:");
        if (thaw.user().equalsIgnoreCase(owner.user())) {
            return;
        }
        try (Statement st = c.createStatement()) {
            if (!postgres) {
                // the password too, every time: the credentials file is the truth (a user may change its own)
                st.execute("CREATE USER IF NOT EXISTS " + thaw.user() + " PASSWORD " + literal(thaw.password()));
                st.execute("ALTER USER " + thaw.user() + " SET PASSWORD " + literal(thaw.password()));
            }
            for (String table : tables(c)) {
                st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + " TO " + thaw.user());
            }
            if (postgres) {
                st.execute("GRANT USAGE ON SCHEMA " + c.getSchema() + " TO " + thaw.user());
                st.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + c.getSchema() + " TO " + thaw.user());
            }
        }
    }

    /**
     * Makes every commit of an H2 database go to its file at once (WRITE_DELAY 0, an admin setting H2 keeps in the
     * database; otherwise up to half a second of commits would die with a killed process). Nothing on PostgreSQL.
     */
    static void durable(Connection asOwner) throws SQLException {
        if (asOwner.getMetaData().getURL().startsWith("jdbc:h2:")) {
            try (Statement st = asOwner.createStatement()) {
                st.execute("SET WRITE_DELAY 0");
            }
        }
    }

    /** Sets the password of Thaw's user of an H2 database, as its owner. */
    static void setPassword(String url, Credentials owner, Credentials thaw) throws SQLException {
        try (Connection c = connect(url, owner);
             Statement st = c.createStatement()) {
            st.execute("ALTER USER " + thaw.user() + " SET PASSWORD " + literal(thaw.password()));
        }
    }

    /**
     * Why Thaw's user has more rights than it needs, when it does: an H2 admin, or a PostgreSQL role that is a
     * superuser or may create objects in the database or its schema.
     */
    static Optional<String> excessRights(Connection c) throws SQLException {
        boolean postgres = c.getMetaData().getURL().startsWith("jdbc:postgresql:");
        String sql = postgres
                ? "SELECT rolsuper OR has_database_privilege(current_database(), 'CREATE') "
                + "OR has_schema_privilege(current_schema(), 'CREATE') FROM pg_roles WHERE rolname = current_user"
                : "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = CURRENT_USER";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getBoolean(1)) {
                return Optional.of(postgres ? "may create objects in the database (it owns it, or is a superuser)"
                        : "is an H2 admin");
            }
        }
        return Optional.empty();
    }

    /**
     * A connection as {@code login}. An embedded H2 database that another process is just opening or closing (and so
     * becoming or ceasing to be the holder behind the automatic server) answers "locked by another process" for a
     * moment ("concurrent update" when two take its lock file at once), and one whose holder was killed "lock file
     * recently modified" for a few seconds more; all are tried
     * again for up to 30 seconds (as the connection pool does for its own connections).
     */
    static Connection connect(String url, Credentials login) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return DriverManager.getConnection(url, login.user(), login.password());
            } catch (SQLException e) {
                boolean lockedForAMoment = e.getErrorCode() == H2_ALREADY_OPEN
                        || e.getErrorCode() == H2_ERROR_OPENING && LOCK_RACE.matcher(String.valueOf(e.getMessage())).find();
                if (!lockedForAMoment || attempt == 120) {
                    throw e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** H2's "database may be already in use" (ErrorCode.DATABASE_ALREADY_OPEN_1). */
    private static final int H2_ALREADY_OPEN = 90020;
    /** H2's "error opening database" (ErrorCode.ERROR_OPENING_DATABASE_1), here about its lock file. */
    private static final int H2_ERROR_OPENING = 8000;
    /** What H2 says of its lock file while two processes take it in turn, or after its holder was killed. */
    private static final java.util.regex.Pattern LOCK_RACE =
            java.util.regex.Pattern.compile("(?i)lock file|concurrent update|locked by another");

    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", null)) {
            while (rs.next()) {
                String type = rs.getString("TABLE_TYPE");
                if (!"TABLE".equals(type) && !"BASE TABLE".equals(type)) {
                    continue;
                }
                tables.add(quoted(rs.getString("TABLE_SCHEM")) + "." + quoted(rs.getString("TABLE_NAME")));
            }
        }
        return tables;
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // the move below failed anyway; the old login still opens the database
        }
    }
}
