package dev.thaw.cli;

import dev.thaw.study.yaml.StudySchema;
import picocli.CommandLine.Command;

/** {@code thaw schema}: prints the JSON Schema of study files, for editors and other tools. */
@Command(name = "schema", description = {"Print the JSON Schema (draft 2020-12) of study files to stdout.",
        "Editors with the YAML language server use it for a study that starts with:",
        "  # yaml-language-server: $schema=study.schema.json"})
final class SchemaCommand extends ThawCommand {
    @Override
    public Integer call() {
        String schema = new StudySchema().text();
        out().print(schema.endsWith("\n") ? schema : schema + "\n");
        out().flush();
        return 0;
    }
}
