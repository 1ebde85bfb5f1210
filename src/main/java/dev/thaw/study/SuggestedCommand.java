package dev.thaw.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A {@code thaw} command line that a message suggests, printed so that it runs as printed in a POSIX shell: the
 * program as the user started it, then every argument, single-quoted where the shell would change or split it.
 * Every message that suggests a command builds it here, so the syntax lives in one place. A suggested command ends
 * at the end of its line or at the first {@code ;} or {@code (} outside quotes (shell syntax, which no argument
 * carries unquoted): a message goes on after it with {@code "; "} or {@code " ("}.
 *
 * @param args the arguments after the program, unquoted; at least one (the subcommand)
 */
public record SuggestedCommand(List<String> args) {
    /**
     * The system property in which {@code scripts/thaw} passes the path it was started by ({@code $0}), so that a
     * suggestion names the program the way the user reached it.
     */
    public static final String PROGRAM_PROPERTY = "thaw.program";
    /** The program when no launcher said otherwise: the README's. */
    public static final String DEFAULT_PROGRAM = "scripts/thaw";

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    public SuggestedCommand {
        args = List.copyOf(args);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least its subcommand");
        }
    }

    /** {@code thaw ARGS...}. */
    public static SuggestedCommand of(String... args) {
        return new SuggestedCommand(Arrays.asList(args));
    }

    /** This command with {@code more} arguments at its end. */
    public SuggestedCommand and(List<String> more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(more);
        return new SuggestedCommand(all);
    }

    /** This command with {@code more} arguments at its end. */
    public SuggestedCommand and(String... more) {
        return and(Arrays.asList(more));
    }

    /** The command line as the user should type it: program and arguments, quoted for a POSIX shell. */
    @Override
    public String toString() {
        String program = System.getProperty(PROGRAM_PROPERTY, "");
        return Stream.concat(Stream.of(program.isBlank() ? DEFAULT_PROGRAM : program), args.stream())
                .map(SuggestedCommand::quote).collect(Collectors.joining(" "));
    }

    /** {@code word} as one shell word: as it is when the shell leaves it alone, otherwise in single quotes. */
    public static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
