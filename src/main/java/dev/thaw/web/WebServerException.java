package dev.thaw.web;

/** The web server could not start; the message says why and what to change. */
public final class WebServerException extends RuntimeException {
    public WebServerException(String message) {
        super(message);
    }
}
