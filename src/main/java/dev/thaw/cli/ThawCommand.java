package dev.thaw.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A {@code thaw} subcommand; prints through picocli's writer so that tests and callers can capture it. */
abstract class ThawCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }
}
