package dev.thaw.study.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema (draft 2020-12) of study files, as the jar carries it: {@code search-spaces/study.schema.json},
 * copied beside this class at build time. It describes what {@link StudyFileReader} accepts, and says in its
 * description which of the reader's checks (files, low &lt;= high, ...) a schema cannot make.
 */
public final class StudySchema {
    /** The schema's classpath name, relative to this package. */
    static final String RESOURCE = "study.schema.json";

    /** The schema as JSON text (UTF-8). Fails with {@link IllegalStateException} when the build left it out. */
    public String text() {
        try (InputStream in = StudySchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath; rebuild Thaw (mvn package copies "
                        + "it from search-spaces/)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
