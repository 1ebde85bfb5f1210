package dev.thaw.run;

import dev.thaw.store.Checkpoint;
import dev.thaw.study.StudySpec;
import dev.thaw.train.fit.TrialCheckpoint;
import dev.thaw.train.fit.TrialFailedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where paused trials keep their checkpoints: {@code <output.dir>/<study>/checkpoints/trial-<number>/}, a folder
 * only its owner may read. A checkpoint is deleted when its trial ends. A trial's folder must be a real folder: one
 * that is a symbolic link (or a file) is refused, so that nothing behind it is written, read or deleted. Only a folder
 * inside the study's checkpoints folder, both taken by their real paths, is ever deleted, so a bad row or a link
 * cannot make Thaw remove anything else.
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

    /** Trial {@code number}'s checkpoint folder in the study's checkpoints folder (absolute; it may not exist). */
    static Path trial(StudySpec spec, int number) {
        return trial(folder(spec), number);
    }

    private static Path trial(Path checkpoints, int number) {
        return checkpoints.resolve("trial-" + number).toAbsolutePath().normalize();
    }

    /**
     * Trial {@code number}'s checkpoint folder, created (owner only) with its parents when missing, if the study's
     * pruner pauses trials (no other study ever writes a checkpoint).
     *
     * @throws TrialFailedException (one line) when it is a symbolic link or not a folder, or cannot be created
     */
    static Path of(StudySpec spec, int number) throws TrialFailedException {
        Path root = folder(spec).toAbsolutePath().normalize();
        Path dir = trial(spec, number);
        if (Files.isSymbolicLink(dir) || Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
                && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new TrialFailedException("the checkpoint folder " + dir + " is " + (Files.isSymbolicLink(dir)
                    ? "a symbolic link" : "not a folder") + "; Thaw keeps a trial's checkpoints only in a folder of its "
                    + "own in " + root + ": remove " + dir);
        }
        if (!spec.pruner().pauses()) {
            return dir;
        }
        try {
            for (Path d : new Path[]{root, dir}) {
                if (!Files.isDirectory(d)) {
                    Files.createDirectories(d);
                    ownerOnly(d);
                }
            }
        } catch (IOException e) {
            throw new TrialFailedException("cannot create the checkpoint folder " + dir + " (" + e.getMessage()
                    + "); check that " + spec.output().dir() + " is writable", e);
        }
        return dir;
    }

    /** Deletes a checkpoint's folder and what it holds, if it lies inside the study's checkpoints folder. */
    static void delete(StudySpec spec, Checkpoint checkpoint) {
        delete(folder(spec), checkpoint);
    }

    /** Deletes the folder trial {@code number} of the study keeps its checkpoints in, if there is one. */
    static void delete(StudySpec spec, int number) {
        delete(folder(spec), new Checkpoint(trial(spec, number), 0));
    }

    /** Deletes trial {@code number}'s checkpoint folder in {@code checkpoints}, if there is one. */
    static void delete(Path checkpoints, int number) {
        delete(checkpoints, new Checkpoint(trial(checkpoints, number), 0));
    }

    /**
     * Deletes a checkpoint's folder and what it holds, if it is a folder (not a symbolic link) whose real path lies
     * inside the real path of {@code checkpoints}; anything else is left alone. What another process deletes
     * meanwhile (a driver tidying up while the trial's node deletes its own) is taken as deleted.
     *
     * @throws UncheckedIOException when what is there cannot be deleted
     */
    static void delete(Path checkpoints, Checkpoint checkpoint) {
        Path dir = checkpoint.dir().toAbsolutePath().normalize();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(checkpoints)) {
            return;
        }
        try {
            Path root = checkpoints.toRealPath();
            Path real = dir.toRealPath();
            if (!real.startsWith(root) || real.equals(root)) {
                return; // a row naming another folder, or a path through a link out of the checkpoints folder
            }
            TrialCheckpoint.deleteTree(real); // never follows a link inside: it deletes the link
        } catch (NoSuchFileException e) {
            // deleted meanwhile
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
