package dev.thaw.cli;


import dev.thaw.study.Printable;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * The last guard of what the command line prints: every character a terminal would act on ({@link Printable#acts})
 * reaches it as a visible {@code \}{@code uXXXX}, except the line breaks and tabs Thaw lays its own output out with.
 * Values are escaped where they are printed ({@link Printable#of}, which escapes their line breaks too); this writer
 * keeps a value that a print site forgot from recolouring, retitling or reordering the user's terminal.
 */
final class TerminalWriter extends FilterWriter {
    private static final boolean CRLF = System.lineSeparator().equals("\r\n");

    TerminalWriter(Writer out) {
        super(out);
    }

    private static boolean layout(int c) {
        return c == '\n' || c == '\t' || (CRLF && c == '\r');
    }

    @Override
    public void write(int c) throws IOException {
        if (Printable.acts(c) && !layout(c)) {
            out.write(Printable.escape(c));
        } else {
            out.write(c);
        }
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        int from = offset;
        for (int i = offset; i < offset + length; i++) {
            if (Printable.acts(chars[i]) && !layout(chars[i])) {
                out.write(chars, from, i - from);
                out.write(Printable.escape(chars[i]));
                from = i + 1;
            }
        }
        out.write(chars, from, offset + length - from);
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        write(text.toCharArray(), offset, length);
    }
}
