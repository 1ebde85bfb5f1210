package dev.thaw.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Where the web server listens, the token that guards its stop actions and downloads, and the extra host names it
 * answers to ({@code --allowed-host}). A server on a loopback address (127.0.0.0/8, ::1, localhost) needs no token
 * unless given one; a server on any other address always has one: the given one, or one generated at start.
 */
public record WebOptions(String host, int port, Optional<String> token, List<String> allowedHosts) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;
    /** The fewest characters a token may have. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /**
     * @throws IllegalArgumentException for a port outside 0..65535, a token shorter than {@value #MIN_TOKEN_LENGTH}
     *                                  characters or with other characters than letters, digits, '-' and '_'
     */
    public WebOptions {
        allowedHosts = List.copyOf(allowedHosts);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (0: any free port), got " + port);
        }
        if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("a token must have at least " + MIN_TOKEN_LENGTH + " characters, got "
                    + token.get().length());
        }
        if (token.isPresent() && !token.get().matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("a token may hold only letters, digits, '-' and '_' (the page reads it "
                    + "from its address); choose another");
        }
    }

    /** Options without extra host names. */
    public WebOptions(String host, int port, Optional<String> token) {
        this(host, port, token, List.of());
    }

    /** True when only this machine can reach the server. */
    public boolean loopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
