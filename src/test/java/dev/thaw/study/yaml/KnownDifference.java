package dev.thaw.study.yaml;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the reader and the study-file schema part, each said in the schema's top-level description. Every other
 * verdict of theirs must agree. {@link StudySchemaTest#eachKnownDifferenceIsAsTheSchemaSays} shows each on an
 * example; {@link StudySchemaMutantsTest} lets a mutant disagree only for one of these.
 */
enum KnownDifference {
    /** The reader checks files and folders; the schema sees text (model.path, data files, sub-folders, test_batch.bin). */
    FILES(false),
    /** A range's low <= high (and a when's min <= max) compares two values of the file; JSON Schema has no way to. */
    LOW_ABOVE_HIGH(false),
    /**
     * A when names parameters the space holds, with values they can take (in a choice's list, a range), and no
     * conditions form a cycle: rules between a when and the rest of the space, which the schema does not follow.
     */
    CONDITION_ACROSS_THE_SPACE(false),
    /**
     * A pruner's rungs lie below budget.epochs (min_epochs &lt; epochs) and its warm-up within them (warmup_epochs &lt;=
     * epochs): two values of the file, in two sections, compared.
     */
    PRUNER_PAST_THE_EPOCHS(false),
    /** JSON has one kind of number: to the schema 3.0 is a whole number, to the reader (which wants 3) it is not. */
    POINT_IN_WHOLE_NUMBER(false),
    /** A key twice in one mapping: the reader refuses it; the schema sees the parsed mapping, which holds one. */
    DUPLICATE_KEY(false),
    /** One class twice in two spellings ([3, cat] for CIFAR-10, [1, '1'] for folders): one to the reader, two to the schema. */
    ONE_CLASS_TWO_SPELLINGS(false),
    /** The reader takes names in any letter case; the schema holds to the lower-case names Thaw writes. */
    LETTER_CASE(true),
    /** The reader reads a number written as quoted text ('0.25') as the number; the schema wants a plain number. */
    QUOTED_NUMBER(true);

    /** What the reader's file checks say (a test_ metric on cifar10 also needs its test_batch.bin file). */
    static final Pattern FILE_RULES = Pattern.compile("file not found|folder not found|no sub-folder"
            + "|holds no data_batch|one sub-folder each");

    /** What the reader says of a when that the rest of the space contradicts. */
    static final Pattern CONDITION_RULES = Pattern.compile("\\.when\\.[^:]+: ([a-z_]+ is not in the space"
            + "|[a-z_]+ can never be |the conditions form a cycle)");

    /** What the reader says of a pruner whose rungs or warm-up do not fit budget.epochs. */
    static final Pattern PRUNER_RULES = Pattern.compile("^pruner\\.(min_epochs: min_epochs \\d+ leaves no rung below "
            + "epochs \\d+|warmup_epochs: warmup_epochs \\d+ is past the last epoch)");

    /** True where the reader accepts what the schema refuses; false where the reader refuses what the schema accepts. */
    final boolean readerAccepts;

    KnownDifference(boolean readerAccepts) {
        this.readerAccepts = readerAccepts;
    }

    /** Which known difference explains a mutant on which the two disagree; empty when none does. */
    static Optional<KnownDifference> explain(StudyMutants.Mutant m, SchemaCheck.Verdict v) {
        if (v.agree()) {
            throw new IllegalArgumentException("they agree on " + m);
        }
        if (v.readerAccepts()) {
            return m.kind() == StudyMutants.Kind.LETTER_CASE ? Optional.of(LETTER_CASE) : Optional.empty();
        }
        String error = v.readerError().orElseThrow();
        if (FILE_RULES.matcher(error).find() || error.contains("needs test data")
                && m.study().at("/data/format").asText().equals("cifar10")) {
            return Optional.of(FILES);
        }
        if (error.contains("low <= high must hold") || error.contains("min <= max must hold")) {
            return Optional.of(LOW_ABOVE_HIGH);
        }
        if (CONDITION_RULES.matcher(error).find()) {
            return Optional.of(CONDITION_ACROSS_THE_SPACE);
        }
        if (PRUNER_RULES.matcher(error).find()) {
            return Optional.of(PRUNER_PAST_THE_EPOCHS);
        }
        if (m.after() != null && m.after().isFloatingPointNumber() && m.after().canConvertToExactIntegral()
                && error.contains("got '" + m.after().asText() + "'")) {
            return Optional.of(POINT_IN_WHOLE_NUMBER);
        }
        return Optional.empty();
    }
}
