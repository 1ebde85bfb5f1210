package dev.thaw.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * Request checks and response headers every route gets: security headers; on a loopback server, only requests
 * addressed to a loopback name (no DNS rebinding); mutating requests only as JSON (so that another site's form
 * cannot post them) and, when the server has a token, only with that token.
 */
final class Guard {
    static final String TOKEN_HEADER = "X-Thaw-Token";
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'";
    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    private final boolean loopback;
    private final Optional<String> token;

    Guard(boolean loopback, Optional<String> token) {
        this.loopback = loopback;
        this.token = token;
    }

    void check(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
        if (loopback && !LOOPBACK_NAMES.contains(hostName(ctx.header("Host")))) {
            throw new ForbiddenResponse("this server answers only to 127.0.0.1 or localhost");
        }
        if (!HandlerType.GET.equals(ctx.method()) && !HandlerType.HEAD.equals(ctx.method())) {
            String type = Optional.ofNullable(ctx.contentType()).orElse("");
            if (!type.startsWith("application/json")) {
                throw new io.javalin.http.HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "send the request body as application/json", java.util.Map.of());
            }
            if (token.isPresent() && !matches(token.get(), presented(ctx))) {
                throw new UnauthorizedResponse("this server needs its token: send it in the " + TOKEN_HEADER
                        + " header (it was printed when the server started)");
            }
        }
    }

    private static String presented(Context ctx) {
        String header = ctx.header(TOKEN_HEADER);
        if (header != null) {
            return header;
        }
        String auth = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        return auth.startsWith("Bearer ") ? auth.substring(7) : "";
    }

    private static boolean matches(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        int colon = hostHeader.lastIndexOf(':');
        boolean hasPort = colon > hostHeader.lastIndexOf(']');
        return (hasPort ? hostHeader.substring(0, colon) : hostHeader).toLowerCase(java.util.Locale.ROOT);
    }
}
