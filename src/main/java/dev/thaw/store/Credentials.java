package dev.thaw.store;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A database user and its password. {@link #toString()} never shows the password.
 *
 * @param user     a plain SQL name (letters, digits, underscore; not starting with a digit), as it is granted rights
 * @param password may be empty only where the database asks for none (PostgreSQL with peer or .pgpass logins)
 */
public record Credentials(String user, String password) {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!PLAIN_NAME.matcher(user).matches()) {
            throw new StoreException("the database user name '" + dev.thaw.study.Printable.of(user)
                    + "' is not a plain name (letters, digits and _, at most 63); choose another in THAW_DB_USER");
        }
    }

    /** A password of 192 random bits from the system's secure source, as 32 URL-safe characters. */
    static String generatedPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return user + " (password hidden)";
    }
}
