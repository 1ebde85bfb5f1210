package dev.thaw.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file a trial kept (its model), as its artifact row records it, and whether Thaw may read (serve, copy) or delete
 * it. Thaw writes kept files into the study's {@link #folder}; only a regular file inside that folder, both taken by
 * their real paths, is ever used. A row naming anything else (a relative path, which would name another file from
 * every working directory; a symbolic link; a file outside the folder, such as the database) is refused with its
 * reason, so a bad or old row never makes Thaw hand out or delete some other file.
 *
 * @param recorded the path in the artifact row
 * @param file     the file's real path, when it may be used
 * @param refusal  why the row may not be used, in words that follow "refused: "; empty when it may be, or when the
 *                 file is merely gone (deleted since)
 */
public record KeptFile(String recorded, Optional<Path> file, Optional<String> refusal) {
    /**
     * The folder that holds a study's kept models: {@code <output dir>/<study>/models}.
     *
     * @param outputDir the study's output folder (its {@code output.dir})
     */
    public static Path folder(Path outputDir, String study) {
        return outputDir.resolve(study).resolve("models");
    }

    /**
     * Checks the row's path against the study's models folder.
     *
     * @param outputDir the study's recorded output folder, absolute; null for a study recorded without one
     */
    static KeptFile check(String row, String outputDir, String study) {
        Path recorded;
        try {
            recorded = Path.of(row);
        } catch (InvalidPathException e) {
            return refused(row, "'" + row + "' is not a path here: " + e.getReason());
        }
        if (!recorded.isAbsolute()) {
            return refused(row, recorded + " is a relative path (recorded by an older Thaw), which names another "
                    + "file from every working directory; copy the model from the study's output folder by hand");
        }
        if (!Files.exists(recorded, LinkOption.NOFOLLOW_LINKS)) {
            return new KeptFile(row, Optional.empty(), Optional.empty());
        }
        // a study recorded before its output folder was (an older Thaw): the folder its absolute row names, if that
        // is a study's models folder of this name, as Thaw lays them out
        Path parent = recorded.getParent();
        Path folder = outputDir != null ? folder(Path.of(outputDir), study)
                : parent != null && parent.getParent() != null ? parent : Path.of("/nonexistent-models-folder");
        if (outputDir == null && !(folder.getFileName().toString().equals("models")
                && folder.getParent().getFileName() != null
                && folder.getParent().getFileName().toString().equals(study))) {
            return refused(row, "study '" + study + "' was recorded without its output folder (by an older "
                    + "Thaw), and " + recorded + " is not in a folder " + study + "/models; copy the model by hand");
        }
        if (!Files.isRegularFile(recorded, LinkOption.NOFOLLOW_LINKS)) {
            return refused(row, recorded + " is not a regular file (a symbolic link or a folder); Thaw keeps "
                    + "models as files in " + folder);
        }
        try {
            Path real = recorded.toRealPath();
            Optional<Path> realFolder = Files.isDirectory(folder) ? Optional.of(folder.toRealPath()) : Optional.empty();
            if (realFolder.isEmpty() || !real.startsWith(realFolder.get()) || real.equals(realFolder.get())) {
                return refused(row, recorded + " is outside the study's models folder " + folder);
            }
            return new KeptFile(row, Optional.of(real), Optional.empty());
        } catch (IOException e) {
            return refused(row, recorded + " cannot be checked against the study's models folder " + folder
                    + ": " + e.getMessage());
        }
    }

    private static KeptFile refused(String recorded, String why) {
        return new KeptFile(recorded, Optional.empty(), Optional.of(why));
    }
}
