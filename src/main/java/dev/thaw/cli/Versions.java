package dev.thaw.cli;

import dev.thaw.train.fit.Dl4jTrialTrainer;
import picocli.CommandLine;

/** Versions for provenance and {@code thaw --version}. */
final class Versions {
    private Versions() {
    }

    static String thaw() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static String java() {
        return System.getProperty("java.version");
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"thaw " + thaw() + " (DL4J " + Dl4jTrialTrainer.dl4jVersion() + ", Java " + java() + ")"};
        }
    }
}
