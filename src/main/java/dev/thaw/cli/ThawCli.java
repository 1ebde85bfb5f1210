package dev.thaw.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.thaw.export.ExportException;
import dev.thaw.run.StudyBusyException;
import dev.thaw.store.StoreException;
import dev.thaw.store.StudyConflictException;
import dev.thaw.study.Printable;
import dev.thaw.study.yaml.StudyFileException;
import dev.thaw.train.data.DataException;
import dev.thaw.train.NativeBinaries;
import dev.thaw.train.source.SourceModelException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code thaw}: hyperparameter search for transfer-learning image classifiers. */
@Command(name = "thaw", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Versions.Provider.class,
        description = "Hyperparameter search for transfer-learning image classifiers.",
        subcommands = {PretrainCommand.class, ValidateCommand.class, RunCommand.class, ResumeCommand.class,
                StopCommand.class, TrialsCommand.class, ExportCommand.class, ScheduleCommand.class, SchedulesCommand.class,
                WorkerCommand.class, DbServerCommand.class, ServeCommand.class, InspectModelCommand.class,
                SchemaCommand.class, CacheCommand.class, CommandLine.HelpCommand.class})
public final class ThawCli {
    /** Bad input: a study file, an option, an unknown study. */
    static final int EXIT_USAGE = 2;
    /** Something failed while working: the database, the disk, training. */
    static final int EXIT_FAILURE = 1;
    /** The study is driven by another live process; this run changed nothing. */
    static final int EXIT_BUSY = 3;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show DL4J/ND4J and Thaw logs and stack traces.")
    void verbose(boolean on) {
        if (on) {
            verbose = true;
            ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
            ((Logger) LoggerFactory.getLogger("org.nd4j")).setLevel(Level.INFO);
            ((Logger) LoggerFactory.getLogger("org.deeplearning4j")).setLevel(Level.INFO);
            ((Logger) LoggerFactory.getLogger("io.javalin")).setLevel(Level.INFO);
            ((Logger) LoggerFactory.getLogger("dev.thaw")).setLevel(Level.DEBUG);
        }
    }

    private boolean verbose;

    public static void main(String[] args) {
        NativeBinaries.preferAvx2();
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /**
     * Runs one command line, printing results to {@code out} and errors (one line each) to {@code err}; neither
     * receives a character a terminal would act on other than a line break or a tab ({@link TerminalWriter}).
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        PrintWriter terminalOut = new PrintWriter(new TerminalWriter(out), true);
        PrintWriter terminalErr = new PrintWriter(new TerminalWriter(err), true);
        ThawCli root = new ThawCli();
        CommandLine cli = new CommandLine(root).setOut(terminalOut).setErr(terminalErr);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter errors = cmd.getErr();
            errors.println("error: " + Printable.of(message(e)));
            if (root.verbose) {
                e.printStackTrace(errors);
            }
            errors.flush();
            return exitCode(e);
        });
        try {
            return cli.execute(args);
        } finally {
            terminalOut.flush();
            terminalErr.flush();
        }
    }

    private static String message(Exception e) {
        if (e instanceof StudyFileException || e instanceof SourceModelException || e instanceof DataException
                || e instanceof ExportException || e instanceof StoreException || e instanceof UserException
                || e instanceof StudyBusyException) {
            return e.getMessage();
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return msg.lines().findFirst().orElse(msg) + " (run with --verbose for details)";
    }

    private static int exitCode(Exception e) {
        if (e instanceof StudyBusyException) {
            return EXIT_BUSY;
        }
        return e instanceof StudyFileException || e instanceof SourceModelException || e instanceof DataException
                || e instanceof ExportException || e instanceof StudyConflictException || e instanceof UserException
                ? EXIT_USAGE : EXIT_FAILURE;
    }
}
