package dev.thaw.cli;

import dev.thaw.study.StudySpec;
import dev.thaw.study.yaml.StudyFileReader;
import dev.thaw.train.data.DataException;
import dev.thaw.train.source.SourceModelException;
import dev.thaw.train.StudyEnvironment;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment check for the commands that validate or run a study on this machine, with its errors pointed at
 * the study file's lines like the parser's: {@code error: data.train_images: file not found: ... (line 12)}.
 */
final class CheckedStudy {
    private static final Pattern FIELD = Pattern.compile("([a-z_]+(?:\\[\\d+])*(?:\\.[a-z_]+(?:\\[\\d+])*)*): .*",
            Pattern.DOTALL);

    private CheckedStudy() {
    }

    /** Checks {@code spec} (parsed from {@code text}) here: files, classes, the source model. */
    static StudyEnvironment.Checked check(StudySpec spec, String text) throws SourceModelException, IOException {
        try {
            return new StudyEnvironment().check(spec);
        } catch (SourceModelException e) {
            throw new SourceModelException(located(e.getMessage(), text));
        } catch (DataException e) {
            throw new DataException(located(e.getMessage(), text));
        }
    }

    /**
     * {@code message} with the line of the field it starts with, or of the nearest section holding it, when the
     * study text has one.
     */
    static String located(String message, String text) {
        Matcher m = FIELD.matcher(message);
        if (!m.matches() || message.matches("(?s).*\\(line \\d+\\)$")) {
            return message;
        }
        // a field the file leaves out (data.classes, when every sub-folder is a class) points at its section
        String field = m.group(1);
        Optional<Integer> line = StudyFileReader.lineOf(text, field);
        while (line.isEmpty() && field.contains(".")) {
            field = field.substring(0, field.lastIndexOf('.'));
            line = StudyFileReader.lineOf(text, field);
        }
        return line.map(l -> message + " (line " + l + ")").orElse(message);
    }
}
