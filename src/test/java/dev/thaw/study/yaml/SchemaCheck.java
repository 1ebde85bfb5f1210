package dev.thaw.study.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.BaseKeywordValidator;
import com.networknt.schema.keyword.DisallowUnknownKeywordFactory;
import com.networknt.schema.keyword.Keyword;
import com.networknt.schema.keyword.KeywordType;
import com.networknt.schema.keyword.KeywordValidator;
import com.networknt.schema.path.NodePath;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The study-file schema, as the jar carries it ({@link StudySchema}), and {@link StudyFileReader#parse(String)} side by
 * side: what each says of one study text. The schema sees the text as Jackson's YAML parser reads it, which is how
 * the reader reads it too.
 */
final class SchemaCheck {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Schema schema;

    /**
     * Draft 2020-12 as the schema's {@code $schema} says, refusing keywords it does not define (a misspelt keyword
     * would otherwise check nothing), with {@code uniqueItems} as the specification has it: json-schema-validator
     * 2.0.8 takes 0 and 0.0 for two items (its 3.x, on Jackson 3, no longer does).
     */
    SchemaCheck() {
        Dialect draft202012 = Dialect.builder(Dialects.getDraft202012())
                .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
                .keyword(new UniqueItems())
                .build();
        schema = SchemaRegistry.withDialect(draft202012).getSchema(new StudySchema().text(), InputFormat.JSON);
        schema.initializeValidators();
    }

    /**
     * What the reader and the schema say of {@code text}: the reader's error, and the schema's errors (none: valid) of
     * {@code tree}, the text as YAML (empty when it is not YAML).
     */
    record Verdict(String text, Optional<String> readerError, Optional<JsonNode> tree, List<String> schemaErrors) {
        boolean readerAccepts() {
            return readerError.isEmpty();
        }

        boolean schemaAccepts() {
            return schemaErrors.isEmpty();
        }

        boolean agree() {
            return readerAccepts() == schemaAccepts();
        }

        @Override
        public String toString() {
            return "reader: " + readerError.orElse("accepts") + "\nschema: "
                    + (schemaAccepts() ? "accepts" : String.join("; ", schemaErrors)) + "\n--- study\n" + text;
        }
    }

    Verdict check(String text) {
        Optional<String> readerError;
        try {
            new StudyFileReader().parse(text);
            readerError = Optional.empty();
        } catch (StudyFileException e) {
            readerError = Optional.of(e.getMessage());
        } catch (RuntimeException e) {
            throw new AssertionError("the reader failed with " + e + " instead of a StudyFileException on:\n" + text, e);
        }
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            return new Verdict(text, readerError, Optional.empty(), List.of("not YAML: " + e.getOriginalMessage()));
        }
        if (tree == null || tree.isMissingNode()) {
            return new Verdict(text, readerError, Optional.empty(), List.of("empty"));
        }
        return new Verdict(text, readerError, Optional.of(tree),
                schema.validate(tree).stream().map(Error::toString).toList());
    }

    /** {@code uniqueItems: true}: no two items equal, numbers compared by value (1 and 1.0 are one item). */
    private static final class UniqueItems implements Keyword {
        @Override
        public String getValue() {
            return KeywordType.UNIQUE_ITEMS.getValue();
        }

        @Override
        public KeywordValidator newValidator(SchemaLocation location, JsonNode node, Schema parent, SchemaContext context) {
            boolean unique = node.asBoolean();
            return new BaseKeywordValidator(KeywordType.UNIQUE_ITEMS, node, location, parent, context) {
                @Override
                public void validate(ExecutionContext execution, JsonNode items, JsonNode root, NodePath at) {
                    Set<Object> seen = new HashSet<>();
                    for (JsonNode item : unique && items.isArray() ? items : List.<JsonNode>of()) {
                        boolean finite = item.isIntegralNumber() || item.isNumber() && Double.isFinite(item.doubleValue());
                        Object key = finite ? item.decimalValue().stripTrailingZeros() : item;
                        if (!seen.add(key)) {
                            execution.addError(error().instanceNode(items).instanceLocation(at)
                                    .evaluationPath(execution.getEvaluationPath()).build());
                        }
                    }
                }
            };
        }
    }
}
