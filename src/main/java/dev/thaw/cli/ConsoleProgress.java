package dev.thaw.cli;

import dev.thaw.run.RunListener;
import dev.thaw.store.StudyRecord;
import dev.thaw.store.TrialRecord;
import dev.thaw.study.Direction;
import dev.thaw.study.MetricPoint;
import dev.thaw.study.Printable;
import dev.thaw.study.StudyStatus;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Optional;

/**
 * Prints a study's progress: each trial's parameters, each epoch's metrics, each result and the best so far. Names,
 * values, reasons and errors come from the database (anyone may have written them) and are printed {@link Printable}.
 */
final class ConsoleProgress implements RunListener {
    private final PrintWriter out;
    private final String metric;
    private final Direction direction;

    ConsoleProgress(PrintWriter out, String metric, Direction direction) {
        this.out = out;
        this.metric = metric;
        this.direction = direction;
    }

    @Override
    public synchronized void studyStarted(StudyRecord study, int finishedBefore, int pausedBefore) {
        int recorded = finishedBefore + pausedBefore;
        String resumed = recorded > 0 ? ", continuing after " + recorded + " recorded trial"
                + (recorded == 1 ? "" : "s") + (pausedBefore > 0 ? " (" + pausedBefore + " of them PAUSED)" : "") : "";
        out.printf(Locale.ROOT, "study %s: budget %d trial%s, ranked by %s (%s)%s%n", Printable.of(study.name()),
                study.budget(), study.budget() == 1 ? "" : "s", metric, study.direction().key(), resumed);
        out.flush();
    }

    @Override
    public synchronized void trialStarted(TrialRecord trial, int position, int budget) {
        if (trial.baseline()) {
            out.printf(Locale.ROOT, "trial %d (scratch baseline: the best trial's hyperparameters, same architecture "
                    + "from random weights, every layer training)  %s%n", trial.number(), values(trial));
        } else {
            // numbers and budget positions differ once a trial outside the search (the baseline) took a number
            String of = position == trial.number() ? "/" + budget : " (" + position + "/" + budget + " of the budget)";
            out.printf(Locale.ROOT, "trial %d%s  %s%n", trial.number(), of, values(trial));
        }
        out.flush();
    }

    @Override
    public synchronized void epochFinished(TrialRecord trial, MetricPoint p, int epochs) {
        // an F1 objective is followed by its own value each epoch (a test_ metric by its validation counterpart)
        String objective = metric.endsWith("f1") && Double.isFinite(p.objective())
                ? String.format(Locale.ROOT, "  val_f1 %.4f", p.objective()) : "";
        out.printf(Locale.ROOT, "    epoch %d/%d  train_loss %.4f  val_loss %.4f  val_accuracy %.4f%s%n",
                p.epoch(), epochs, p.trainLoss(), p.validationLoss(), p.validationAccuracy(), objective);
        out.flush();
    }

    @Override
    public synchronized void trialNote(TrialRecord trial, String line) {
        out.printf(Locale.ROOT, "    trial %d: %s%n", trial.number(), Printable.of(line));
        out.flush();
    }

    @Override
    public synchronized void trialFinished(TrialRecord trial, Optional<TrialRecord> best) {
        String took = trial.duration().map(d -> String.format(Locale.ROOT, " in %.1f s", d.toMillis() / 1000.0)).orElse("");
        String result = trial.score().map(s -> String.format(Locale.ROOT, "%s %.4f", metric, s)
                        + trial.scoreSpread().map(d -> String.format(Locale.ROOT, " ± %.4f over the folds", d)).orElse(""))
                .orElse("")
                + trial.reason().map(r -> "  (" + Printable.of(r) + ")").orElse("")
                + trial.error().map(Printable::of).orElse("");
        out.printf(Locale.ROOT, "    trial %d %s%s  %s%n", trial.number(), trial.state(), took, result);
        best.ifPresent(b -> out.printf(Locale.ROOT, "    best so far: trial %d, %s %.4f%n", b.number(), metric,
                b.score().orElseThrow()));
        out.flush();
    }

    @Override
    public synchronized void baselineFinished(TrialRecord baseline, Optional<TrialRecord> best) {
        trialFinished(baseline, Optional.empty());
        if (baseline.score().isPresent() && best.isPresent()) {
            double transfer = best.get().score().orElseThrow();
            double scratch = baseline.score().get();
            boolean transferWins = direction.better(transfer, scratch);
            out.printf(Locale.ROOT, "transfer vs scratch: %s %.4f (trial %d) vs %.4f (trial %d, from scratch): %s%n",
                    metric, transfer, best.get().number(), scratch, baseline.number(), transfer == scratch ? "a tie"
                            : transferWins ? String.format(Locale.ROOT, "transfer is better by %.4f", Math.abs(transfer - scratch))
                            : String.format(Locale.ROOT, "training from scratch is better by %.4f: negative transfer",
                            Math.abs(transfer - scratch)));
        }
        out.flush();
    }

    @Override
    public synchronized void trialPaused(TrialRecord trial) {
        out.printf(Locale.ROOT, "    trial %d PAUSED after epoch %d%s%n", trial.number(), trial.epochs(),
                trial.reason().map(r -> "  (" + Printable.of(r) + ")").orElse(""));
        out.flush();
    }

    @Override
    public synchronized void trialThawed(TrialRecord trial) {
        out.printf(Locale.ROOT, "    trial %d thawed: promoted at its rung, it resumes after epoch %d%n",
                trial.number(), trial.epochs());
        out.flush();
    }

    @Override
    public synchronized void note(String line) {
        out.println(Printable.of(line));
        out.flush();
    }

    @Override
    public synchronized void studyFinished(StudyRecord study, StudyStatus status, String why, Optional<TrialRecord> best) {
        out.printf(Locale.ROOT, "study %s %s: %s%n", Printable.of(study.name()), status.name().toLowerCase(Locale.ROOT),
                Printable.of(why));
        best.ifPresentOrElse(
                b -> out.printf(Locale.ROOT, "best: trial %d, %s %.4f  %s%n", b.number(), metric,
                        b.score().orElseThrow(), values(b)),
                () -> out.println("no trial completed"));
        out.flush();
    }

    /** The trial's hyperparameters as {@code key=value ...}; string values are stored text, printed inert. */
    private static String values(TrialRecord trial) {
        return Printable.of(trial.assignment().toString());
    }
}
