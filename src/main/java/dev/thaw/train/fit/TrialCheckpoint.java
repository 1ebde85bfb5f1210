package dev.thaw.train.fit;

import dev.thaw.study.Printable;
import dev.thaw.train.source.Network;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A paused trial's checkpoint on disk. In the trial's checkpoint folder, the checkpoint after epoch e is the folder
 * {@code epoch-<e>/}, holding:
 * <ul>
 *   <li>{@code fold-<f>.zip} for every fold: its network as a DL4J ModelSerializer zip with the updater state; the
 *   configuration inside carries the epoch and iteration counts, where the learning-rate schedule goes on;</li>
 *   <li>{@code state.properties}: format, the trial it belongs to (study seed and hyperparameters), epoch e, the
 *   number of folds, whether the networks are still the head-only ones of {@code head_epochs} (the thaw still to
 *   come), and each fold's last validation loss (exact, as a hex double);</li>
 *   <li>{@code manifest.properties}, written last: every other file's size and SHA-256.</li>
 * </ul>
 * The rest of a trial's state is a function of (study seed, fold, epoch) and is derived again on resume: the order of
 * the examples (the fold's e shuffles replayed), the augmentation of epoch e+1, ND4J's generator (reseeded every
 * epoch); the loss tracker is empty between epochs.
 *
 * <p>A checkpoint is written in a temporary folder beside its place, each file synced to disk, then renamed into place:
 * a folder named {@code epoch-<e>} was written completely, and a folder without a manifest, or whose files do not match
 * it, is refused. Folders are {@code rwx------}, files {@code rw-------}. A trial folder, checkpoint folder or file
 * that is a symbolic link is refused too: a checkpoint is never read or written through a link.
 */
public final class TrialCheckpoint {
    static final String MANIFEST = "manifest.properties";
    static final String STATE = "state.properties";
    private static final int FORMAT = 1;
    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-(\\d+)");
    private static final String PARTIAL = ".partial-";

    private TrialCheckpoint() {
    }

    /** One fold as it was after the checkpoint's epoch. */
    record FoldState(Network net, double validationLoss) {
    }

    /**
     * What a checkpoint holds: the trial it belongs to ({@link #trial}), its epoch, whether the head-only phase goes
     * on, and every fold in order.
     */
    record Saved(String trial, int epoch, boolean headOnly, List<FoldState> folds) {
    }

    /**
     * Which trial a checkpoint belongs to, as its state file says: the study seed and every hyperparameter, by name
     * ({@code seed 5, batch_size=8, learning_rate=0.01, ...}).
     */
    static String trial(long seed, dev.thaw.study.Assignment a) {
        StringBuilder out = new StringBuilder("seed " + seed);
        new java.util.TreeMap<>(a.values()).forEach((k, v) -> out.append(", ").append(k).append('=').append(v));
        return out.toString();
    }

    /** The folder of the checkpoint after {@code epoch} in the trial's checkpoint folder {@code trialDir}. */
    static Path folder(Path trialDir, int epoch) {
        return trialDir.resolve("epoch-" + epoch);
    }

    /**
     * Writes {@code saved} completely or not at all, then deletes the trial's other checkpoints but the one of epoch
     * {@code keep} (the one its run resumed from, still the one on record until the pause is recorded), if any.
     *
     * @return the checkpoint's folder
     */
    static Path write(Path trialDir, Saved saved, java.util.OptionalInt keep) throws IOException {
        if (Files.isSymbolicLink(trialDir)) {
            throw new IOException(trialDir + " is a symbolic link, not a folder of its own");
        }
        if (!Files.isDirectory(trialDir)) {
            Files.createDirectories(trialDir);
            ownerOnly(trialDir, "rwx------");
        }
        Path partial = createPrivateFolder(trialDir, "epoch-" + saved.epoch() + PARTIAL);
        try {
            List<Path> files = new ArrayList<>();
            for (int f = 0; f < saved.folds().size(); f++) {
                Path zip = partial.resolve("fold-" + f + ".zip");
                saved.folds().get(f).net().save(zip);
                files.add(zip);
            }
            Properties state = new Properties();
            state.setProperty("format", String.valueOf(FORMAT));
            state.setProperty("trial", saved.trial());
            state.setProperty("epoch", String.valueOf(saved.epoch()));
            state.setProperty("folds", String.valueOf(saved.folds().size()));
            state.setProperty("head_only", String.valueOf(saved.headOnly()));
            for (int f = 0; f < saved.folds().size(); f++) {
                state.setProperty("fold." + f + ".validation_loss",
                        Double.toHexString(saved.folds().get(f).validationLoss()));
            }
            files.add(store(state, partial.resolve(STATE)));
            Properties manifest = new Properties();
            for (Path file : files) {
                ownerOnly(file, "rw-------");
                sync(file);
                manifest.setProperty(file.getFileName().toString(), Files.size(file) + " " + sha256(file));
            }
            Path written = store(manifest, partial.resolve(MANIFEST));
            ownerOnly(written, "rw-------");
            sync(written);
            syncFolder(partial);
            Path target = folder(trialDir, saved.epoch());
            // never the checkpoint on record: a run pauses after an epoch later than the one it resumed from
            deleteTree(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            syncFolder(trialDir);
            clear(trialDir, keep.isPresent() ? Set.of(saved.epoch(), keep.getAsInt()) : Set.of(saved.epoch()));
            return target;
        } finally {
            deleteTree(partial);
        }
    }

    /**
     * Reads the checkpoint after {@code epoch} of trial {@code trial} (see {@link #trial}) of {@code folds} folds, then
     * deletes the trial's other checkpoints and unfinished writes (the one on record is this one).
     *
     * @throws TrialFailedException (one line) when it is missing, incomplete, damaged, another trial's, or of another
     *                              epoch or number of folds
     */
    static Saved read(Path trialDir, String trial, int epoch, int folds) throws TrialFailedException {
        Path dir = folder(trialDir, epoch);
        String cannot = "cannot resume after epoch " + epoch + ": ";
        String startOver = "; the trial must start over";
        if (Files.isSymbolicLink(trialDir) || Files.isSymbolicLink(dir)) {
            throw new TrialFailedException(cannot + (Files.isSymbolicLink(trialDir) ? trialDir : dir)
                    + " is a symbolic link; a checkpoint is read only from its own folder" + startOver);
        }
        if (!Files.isDirectory(dir)) {
            throw new TrialFailedException(cannot + "no checkpoint at " + dir + startOver);
        }
        if (!Files.isRegularFile(dir.resolve(MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
            throw new TrialFailedException(cannot + "the checkpoint " + dir + " is incomplete (no " + MANIFEST
                    + ": its writing did not finish)" + startOver);
        }
        try {
            Properties manifest = load(dir.resolve(MANIFEST));
            for (String name : manifest.stringPropertyNames()) {
                Path file = dir.resolve(name).normalize();
                String[] sizeAndHash = manifest.getProperty(name).split(" ");
                if (!dir.equals(file.getParent()) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        || sizeAndHash.length != 2
                        || Files.size(file) != Long.parseLong(sizeAndHash[0]) || !sha256(file).equals(sizeAndHash[1])) {
                    throw new TrialFailedException(cannot + "the checkpoint's " + name + " in " + dir
                            + " does not match its manifest (damaged)" + startOver);
                }
            }
            if (manifest.getProperty(STATE) == null) {
                throw new TrialFailedException(cannot + "the checkpoint " + dir + " has no " + STATE + startOver);
            }
            Properties state = load(dir.resolve(STATE));
            int format = Integer.parseInt(state.getProperty("format", "0"));
            int savedEpoch = Integer.parseInt(state.getProperty("epoch", "-1"));
            int savedFolds = Integer.parseInt(state.getProperty("folds", "-1"));
            if (format != FORMAT) {
                throw new TrialFailedException(cannot + "the checkpoint " + dir + " is in format " + format
                        + ", this Thaw reads format " + FORMAT + startOver);
            }
            String savedTrial = state.getProperty("trial", "an unnamed trial");
            if (!savedTrial.equals(trial)) {
                throw new TrialFailedException(cannot + "the checkpoint " + dir + " holds another trial's networks ("
                        + dev.thaw.study.Printable.of(savedTrial) + "), not this one's (" + trial + ")" + startOver);
            }
            if (savedEpoch != epoch || savedFolds != folds) {
                throw new TrialFailedException(cannot + "the checkpoint " + dir + " holds epoch " + savedEpoch
                        + " of " + savedFolds + " fold(s), not epoch " + epoch + " of " + folds + " fold(s)" + startOver);
            }
            List<FoldState> fold = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                String name = "fold-" + f + ".zip";
                String loss = state.getProperty("fold." + f + ".validation_loss");
                if (manifest.getProperty(name) == null || loss == null) {
                    throw new TrialFailedException(cannot + "the checkpoint " + dir + " lacks fold " + f + startOver);
                }
                Network net = Network.load(dir.resolve(name));
                if (net.epochCount() != epoch) {
                    throw new TrialFailedException(cannot + "the network of fold " + f + " in " + dir + " counts "
                            + net.epochCount() + " epochs, not " + epoch + startOver);
                }
                fold.add(new FoldState(net, Double.parseDouble(loss)));
            }
            clear(trialDir, Set.of(epoch));
            return new Saved(trial, epoch, Boolean.parseBoolean(state.getProperty("head_only")), fold);
        } catch (IOException | RuntimeException e) {
            throw new TrialFailedException(cannot + "the checkpoint " + dir + " cannot be read ("
                    + Printable.firstLine(e) + ")" + startOver, e);
        }
    }

    /**
     * Deletes the trial's checkpoints but the one after {@code epoch}, and unfinished writes: called once a pause after
     * {@code epoch} is recorded, when the checkpoint its run resumed from is no longer the one on record. A trial
     * folder that is a symbolic link is left alone. Tidying only: what cannot be deleted stays until the trial ends.
     */
    public static void keepOnly(Path trialDir, int epoch) {
        if (!Files.isSymbolicLink(trialDir) && Files.isDirectory(trialDir)) {
            clear(trialDir, Set.of(epoch));
        }
    }

    /**
     * Deletes the trial's checkpoints other than those of {@code keep}'s epochs, and unfinished writes. Tidying only:
     * what cannot be deleted stays until the trial ends and its whole folder goes.
     */
    private static void clear(Path trialDir, Set<Integer> keep) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(trialDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Matcher epoch = EPOCH_DIR.matcher(name);
                boolean stale = epoch.matches() ? !keep.contains(parseOr(epoch.group(1))) : name.contains(PARTIAL);
                if (stale) {
                    deleteTree(entry);
                }
            }
        } catch (IOException e) {
            // left for the deletion of the trial's folder when it ends
        }
    }

    private static int parseOr(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Path createPrivateFolder(Path parent, String prefix) throws IOException {
        try {
            return Files.createTempDirectory(parent, prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempDirectory(parent, prefix); // not a POSIX file system: its own defaults apply
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }

    private static Path store(Properties properties, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, "Thaw trial checkpoint");
        }
        return file;
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Syncs a folder's entries where the platform allows opening a folder (Linux does); elsewhere a no-op. */
    private static void syncFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // the platform cannot sync a folder: the rename is still atomic, and the manifest guards the files
        }
    }

    /**
     * Deletes {@code dir} and everything below it, never following a link (a link is deleted, not what it names);
     * nothing when it does not exist. What another process deletes meanwhile counts as deleted.
     *
     * @throws IOException when what is there cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
