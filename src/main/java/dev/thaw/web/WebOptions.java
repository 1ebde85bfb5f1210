package dev.thaw.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where the web server listens and the token that guards its mutating endpoints. On a loopback address the token
 * is optional; on any other address a token is required, and one is generated when none is given.
 */
public record WebOptions(String host, int port, Optional<String> token) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;

    public WebOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (0: any free port), got " + port);
        }
        if (token.isPresent() && token.get().length() < 16) {
            throw new IllegalArgumentException("a token must have at least 16 characters, got "
                    + token.get().length());
        }
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
