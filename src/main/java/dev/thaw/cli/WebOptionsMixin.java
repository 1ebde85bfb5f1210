package dev.thaw.cli;

import dev.thaw.study.Printable;

import dev.thaw.study.SuggestedCommand;
import dev.thaw.web.WebOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --host}, {@code --port}, {@code --allowed-host} and the token ({@code --token-file}, the environment
 * variable {@value #TOKEN_VARIABLE}, or {@code --token}) of the web server.
 */
final class WebOptionsMixin {
    /** The environment variable a token may come from. */
    static final String TOKEN_VARIABLE = "THAW_TOKEN";
    /** When the server has a token, in the words the README uses too. */
    static final String TOKEN_RULE = "A server on a loopback address (127.0.0.0/8, ::1, localhost) has a token only "
            + "when given one; a server on any other address always has one (the given one, or one it generates and "
            + "prints). When the server has a token, stop actions and downloads must carry it.";
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = WebOptions.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). " + TOKEN_RULE
                    + " Requests are answered only when addressed to localhost, to this address or, on an address "
                    + "other than loopback, to this machine's names and addresses.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + WebOptions.DEFAULT_PORT,
            description = "Port to listen on (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--allowed-host", paramLabel = "NAME",
            description = "Also answer requests addressed to this host name or address (say, a name in DNS or a "
                    + "forwarded address); repeatable.")
    List<String> allowedHosts = new ArrayList<>();

    @Option(names = "--token-file", paramLabel = "PATH",
            description = "Read the token from this file, which only its owner may read (chmod 600). Without it and "
                    + "--token, the token comes from the environment variable " + TOKEN_VARIABLE + ", if set.")
    Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The token itself (letters, digits, '-' and '_', at least " + WebOptions.MIN_TOKEN_LENGTH
                    + "). Every user of this machine can read it in the process list: prefer " + TOKEN_VARIABLE
                    + " or --token-file.")
    String token;

    WebOptions options() throws UserException {
        Optional<String> given = token(System.getenv());
        try {
            return new WebOptions(host, port, given, allowedHosts);
        } catch (IllegalArgumentException e) {
            // say which token: the one in the environment is easy to forget
            String source = token != null ? "--token" : tokenFile != null ? "--token-file " + tokenFile
                    : TOKEN_VARIABLE;
            throw new UserException(given.isPresent() && e.getMessage().contains("token")
                    ? source + ": " + e.getMessage() : e.getMessage());
        }
    }

    private Optional<String> token(Map<String, String> environment) throws UserException {
        if (token != null && tokenFile != null) {
            throw new UserException("give the token once: --token-file or --token, not both");
        }
        if (token != null) {
            command.commandLine().getErr().println("warning: every user of this machine can read --token in the "
                    + "process list; pass the token in " + TOKEN_VARIABLE + " or with --token-file instead");
            command.commandLine().getErr().flush();
            return Optional.of(token);
        }
        if (tokenFile != null) {
            return Optional.of(read(tokenFile));
        }
        return Optional.ofNullable(environment.get(TOKEN_VARIABLE)).map(String::strip).filter(t -> !t.isEmpty());
    }

    /** The token in {@code file}: its text without surrounding white space, from a file only its owner can read. */
    private static String read(Path file) throws UserException {
        String shown = file.toString();
        try {
            if (!Files.isRegularFile(file)) {
                throw new UserException("token file " + shown + (Files.exists(file) ? " is not a file" : " does not "
                        + "exist") + "; write the token in a file only you can read (chmod 600)");
            }
            String owner = Files.getOwner(file).getName();
            if (!owner.equals(System.getProperty("user.name"))) {
                throw new UserException("token file " + shown + " belongs to " + Printable.of(owner) + ", not to you; "
                        + "another user could read or change it: write the token in a file of your own (chmod 600)");
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(mode)) {
                throw new UserException("token file " + shown + " is open to other users (mode "
                        + PosixFilePermissions.toString(mode) + "); run chmod 600 "
                        + SuggestedCommand.quote(file.toString()));
            }
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: nothing to check
        } catch (NoSuchFileException e) {
            throw new UserException("token file " + shown + " does not exist; write the token in a file only you "
                    + "can read (chmod 600)");
        } catch (IOException e) {
            throw new UserException("cannot read token file " + shown + ": " + e.getMessage());
        }
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (IOException e) {
            throw new UserException("cannot read token file " + shown + ": " + e.getMessage());
        }
        if (text.isEmpty()) {
            throw new UserException("token file " + shown + " is empty; write the token in it");
        }
        return text;
    }
}
