package dev.thaw.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.thaw.testing.Cli;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code thaw schema}: the study-file schema of {@code search-spaces/}, from the classpath, on stdout. */
class SchemaCommandTest {
    @Test
    void printsTheSchemaThatSearchSpacesHolds() throws Exception {
        Cli schema = Cli.run("schema");
        assertEquals(0, schema.exit(), schema.toString());
        assertEquals(Files.readString(Path.of("search-spaces/study.schema.json")), schema.out());
        assertEquals("", schema.err());
        JsonNode json = new ObjectMapper().readTree(schema.out());
        assertEquals("https://json-schema.org/draft/2020-12/schema", json.path("$schema").asText());
        assertTrue(json.path("properties").has("space"), schema.out());
    }

    @Test
    void isListedWithTheOtherCommandsAndTakesNoArguments() {
        Cli help = Cli.run("--help");
        assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith("schema ")), help.out());
        Cli extra = Cli.run("schema", "study.yaml");
        assertEquals(2, extra.exit(), extra.toString());
        assertTrue(extra.err().startsWith("Unmatched argument at index 1: 'study.yaml'"), extra.err());
    }
}
