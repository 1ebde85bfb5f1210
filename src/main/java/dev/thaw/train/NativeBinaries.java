package dev.thaw.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks which of ND4J's CPU builds JavaCPP loads. Both the generic x86-64 and the AVX2 build are on the class path,
 * and which one loads otherwise depends on class-path order; the AVX2 build trains about 13% faster here
 * (scripts/bench/backend.sh). Must run before the first ND4J call.
 */
public final class NativeBinaries {
    static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private NativeBinaries() {
    }

    /** Chooses the AVX2 build when the CPU has AVX2, unless the user already chose with -D{@value #EXTENSION}. */
    public static void preferAvx2() {
        if (System.getProperty(EXTENSION) == null && cpuHasAvx2()) {
            System.setProperty(EXTENSION, "-avx2");
        }
    }

    private static boolean cpuHasAvx2() {
        try {
            Path cpuinfo = Path.of("/proc/cpuinfo");
            return Files.isReadable(cpuinfo) && Files.readString(cpuinfo).contains(" avx2");
        } catch (IOException e) {
            return false;
        }
    }
}
