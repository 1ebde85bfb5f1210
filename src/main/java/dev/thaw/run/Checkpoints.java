package dev.thaw.run;

import dev.thaw.store.Checkpoint;
import dev.thaw.study.StudySpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where paused trials keep their checkpoints: {@code <output.dir>/<study>/checkpoints/trial-<number>/}, a folder
 * only its owner may read. A checkpoint is deleted when its trial ends; only a folder inside the study's checkpoints
 * folder is ever deleted, so a bad row cannot make Thaw remove anything else.
 */
final class Checkpoints {
    private Checkpoints() {
    }

    /** The study's folder of checkpoints. */
    static Path folder(StudySpec spec) {
        return folder(spec.output().dir(), spec.name());
    }

    /** The folder of checkpoints of study {@code study} whose output folder is {@code outputDir}. */
    static Path folder(Path outputDir, String study) {
        return outputDir.resolve(study).resolve("checkpoints");
    }

    /** Trial {@code number}'s checkpoint folder, created (owner only) with its parents when missing. */
    static Path of(StudySpec spec, int number) {
        Path dir = folder(spec).resolve("trial-" + number).toAbsolutePath().normalize();
        try {
            for (Path d : new Path[]{folder(spec).toAbsolutePath().normalize(), dir}) {
                if (!Files.isDirectory(d)) {
                    Files.createDirectories(d);
                    ownerOnly(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the checkpoint folder " + dir + "; check that "
                    + spec.output().dir() + " is writable", e);
        }
        return dir;
    }

    /** Deletes a checkpoint's folder and what it holds, if it lies inside the study's checkpoints folder. */
    static void delete(StudySpec spec, Checkpoint checkpoint) {
        delete(folder(spec), checkpoint);
    }

    /** Deletes a checkpoint's folder and what it holds, if it lies inside {@code checkpoints}. */
    static void delete(Path checkpoints, Checkpoint checkpoint) {
        Path root = checkpoints.toAbsolutePath().normalize();
        Path dir = checkpoint.dir().toAbsolutePath().normalize();
        if (!dir.startsWith(root) || dir.equals(root) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoint " + dir, e);
        }
    }

    private static void ownerOnly(Path dir) throws IOException {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }
}
