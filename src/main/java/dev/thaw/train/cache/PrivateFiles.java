package dev.thaw.train.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** The cache's folder and files are its user's alone: the folder {@code rwx------}, every file {@code rw-------}. */
final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** The permissions a new file is created with ({@code rw-------}), where the file system has them. */
    static FileAttribute<?>[] file() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    /**
     * Makes {@code dir} ({@code rwx------}) and its missing parents, unless it is a folder already: a folder that
     * exists keeps its permissions (it may be one the user shares on purpose).
     *
     * @throws NotDirectoryException when {@code dir} is a file
     */
    static void createFolder(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getParent() != null) {
            Files.createDirectories(dir.getParent());
        }
        try {
            Files.createDirectory(dir, POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0]);
        } catch (FileAlreadyExistsException e) { // another process made it meanwhile, or it is a file
            if (!Files.isDirectory(dir)) {
                throw new NotDirectoryException(dir.toString());
            }
        }
    }

    /** Forces {@code dir}'s entries (a rename into it) to disk, where the file system can. */
    static void syncFolder(Path dir) {
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a folder; the rename is atomic all the same
        }
    }
}
