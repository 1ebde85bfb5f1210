package dev.thaw.cli;

import dev.thaw.web.WebOptions;
import picocli.CommandLine.Option;

import java.util.Optional;

/** {@code --host}, {@code --port} and {@code --token} of the web server. */
final class WebOptionsMixin {
    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = WebOptions.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Any other address "
                    + "needs a token for stop actions.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + WebOptions.DEFAULT_PORT,
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Token that stop actions must carry (default: generated and printed when --host is not "
                    + "a loopback address).")
    String token;

    WebOptions options() throws UserException {
        try {
            return new WebOptions(host, port, Optional.ofNullable(token));
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }
}
