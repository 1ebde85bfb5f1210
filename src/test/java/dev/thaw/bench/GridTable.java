package dev.thaw.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The search benchmark's table: real fine-tuning curves of a grid of configurations, recorded once by Thaw
 * ({@code scripts/bench/record-table.sh}) and replayed many times ({@code scripts/bench/search.sh}). On disk a gzip
 * CSV: lines starting with {@code #} say how it was made, then {@link #COLUMNS}, then one row per configuration per
 * epoch, epochs in order.
 *
 * @param header  the {@code #} lines, without the {@code #} and the space after it
 * @param configs the configurations, in table order (by id)
 */
public record GridTable(List<String> header, List<Config> configs) {
    public static final String COLUMNS =
            "config,learning_rate,batch_size,dropout,optimizer,unfreeze_depth,epoch,val_accuracy,val_loss,seconds";

    public GridTable {
        header = List.copyOf(header);
        configs = List.copyOf(configs);
    }

    /** One recorded configuration: its hyperparameters and its curve, epoch 1 first. */
    public record Config(int id, double learningRate, int batchSize, double dropout, String optimizer,
                         int unfreezeDepth, List<Epoch> epochs) {
        public Config {
            epochs = List.copyOf(epochs);
            if (epochs.isEmpty()) {
                throw new IllegalArgumentException("config " + id + " has no epochs");
            }
        }

        /** The configuration's score: its last epoch's validation accuracy. */
        public double score() {
            return epochs.get(epochs.size() - 1).valAccuracy();
        }

        /** The wall time its training took: the sum of its epochs' seconds. */
        public double seconds() {
            return epochs.stream().mapToDouble(Epoch::seconds).sum();
        }
    }

    /** One epoch of one configuration; {@code valLoss} is NaN where the loss was not finite. */
    public record Epoch(int epoch, double valAccuracy, double valLoss, double seconds) {
    }

    /** The highest score in the table. */
    public double best() {
        return configs.stream().mapToDouble(Config::score).max().orElseThrow();
    }

    /**
     * Reads a table written by {@link #write}.
     *
     * @throws IllegalArgumentException naming the file and line when the text is not such a table
     */
    public static GridTable read(Path file) {
        List<String> header = new ArrayList<>();
        Map<Integer, List<Epoch>> curves = new LinkedHashMap<>();
        Map<Integer, String[]> params = new LinkedHashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            int n = 0;
            boolean columns = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                n++;
                if (!columns && line.startsWith("#")) {
                    header.add(line.replaceFirst("^# ?", ""));
                } else if (!columns) {
                    if (!line.equals(COLUMNS)) {
                        throw new IllegalArgumentException(file + " line " + n + ": expected the columns " + COLUMNS
                                + "; write the table with scripts/bench/record-table.sh");
                    }
                    columns = true;
                } else if (!line.isBlank()) {
                    String[] f = line.split(",", -1);
                    if (f.length != 10) {
                        throw new IllegalArgumentException(file + " line " + n + ": expected 10 fields, got "
                                + f.length);
                    }
                    int id = Integer.parseInt(f[0]);
                    params.putIfAbsent(id, f);
                    curves.computeIfAbsent(id, k -> new ArrayList<>()).add(new Epoch(Integer.parseInt(f[6]),
                            Double.parseDouble(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the table " + file + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": a field is not a number (" + e.getMessage() + ")", e);
        }
        List<Config> configs = new ArrayList<>();
        params.forEach((id, f) -> configs.add(new Config(id, Double.parseDouble(f[1]), Integer.parseInt(f[2]),
                Double.parseDouble(f[3]), f[4], Integer.parseInt(f[5]), curves.get(id))));
        if (configs.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no configurations; record it with "
                    + "scripts/bench/record-table.sh");
        }
        return new GridTable(header, configs);
    }

    /** Writes the table as gzip CSV ({@link #read} reads it back). */
    public void write(Path file) {
        try (PrintWriter out = new PrintWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file)), StandardCharsets.UTF_8))) {
            header.forEach(h -> out.print("# " + h + "\n"));
            out.print(COLUMNS + "\n");
            for (Config c : configs) {
                for (Epoch e : c.epochs()) {
                    out.print(String.format(Locale.ROOT, "%d,%s,%d,%s,%s,%d,%d,%s,%s,%.3f\n", c.id(),
                            c.learningRate(), c.batchSize(), c.dropout(), c.optimizer(), c.unfreezeDepth(),
                            e.epoch(), e.valAccuracy(), e.valLoss(), e.seconds()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the table " + file + ": " + e.getMessage(), e);
        }
    }
}
