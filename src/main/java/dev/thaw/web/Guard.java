package dev.thaw.web;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.RouteRole;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Request checks and the security headers: every request must be addressed to a name the server answers to
 * ({@link AllowedHosts}: no DNS rebinding); mutating requests must be JSON (so that another site's form cannot post
 * them); mutating requests and routes marked {@link Needs#TOKEN} (the downloads) need the server's token when it
 * has one.
 */
final class Guard {
    static final String TOKEN_HEADER = "X-Thaw-Token";
    /** The headers every response carries, Jetty's own error pages included (see {@link HeadersOnErrors}). */
    static final Map<String, String> HEADERS = headers();

    /** Marks a route that needs the server's token, when the server has one: the stop actions and the downloads. */
    enum Needs implements RouteRole { TOKEN }

    private final AllowedHosts hosts;
    private final Optional<String> token;

    Guard(AllowedHosts hosts, Optional<String> token) {
        this.hosts = hosts;
        this.token = token;
    }

    private static Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; "
                + "base-uri 'none'; form-action 'self'");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        return Collections.unmodifiableMap(h);
    }

    /** Before every request: the headers, the host name, and JSON for anything but GET and HEAD. */
    void check(Context ctx) {
        HEADERS.forEach(ctx::header);
        if (ctx.path().startsWith("/api/")) {
            ctx.header("Cache-Control", "no-store");
        }
        if (!hosts.allows(ctx.header("Host"))) {
            throw new ForbiddenResponse("this server does not answer to the host name this request was sent to; "
                    + "open the address it printed, or start it with --allowed-host NAME");
        }
        if (!reading(ctx)) {
            String type = Optional.ofNullable(ctx.contentType()).orElse("");
            if (!type.startsWith("application/json")) {
                throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "send the request body as application/json", Map.of());
            }
        }
    }

    /**
     * Before a matched route: the server's token, when it has one and the route is marked {@link Needs#TOKEN} or
     * changes something (anything but GET and HEAD, marked or not).
     */
    void checkToken(Context ctx) {
        boolean needed = ctx.routeRoles().contains(Needs.TOKEN) || !reading(ctx);
        if (token.isPresent() && needed && !matches(token.get(), presented(ctx))) {
            throw new UnauthorizedResponse("this server needs its token for stop actions and downloads: send it in "
                    + "the " + TOKEN_HEADER + " header (it was printed when the server started)");
        }
    }

    private static boolean reading(Context ctx) {
        return HandlerType.GET.equals(ctx.method()) || HandlerType.HEAD.equals(ctx.method());
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
}
