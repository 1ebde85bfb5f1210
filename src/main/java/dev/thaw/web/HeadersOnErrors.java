package dev.thaw.web;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * Jetty's error handler with {@link Guard#HEADERS} on every page it writes: the errors Jetty answers before a request
 * reaches Javalin (400 for an ambiguous path such as {@code /%2e%2e/x}, 414 for a path too long, 431 for headers too
 * large) carry the same security headers as every other response. Set on the Jetty server.
 */
final class HeadersOnErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Guard.HEADERS.forEach((name, value) -> response.getHeaders().put(name, value));
        return super.handle(request, response, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        Guard.HEADERS.forEach(fields::put);
        return super.badMessageError(status, reason, fields);
    }
}
