"""Optuna's TPE with its pruners replayed on the search benchmark's table, the peer of
dev.thaw.bench.PruningBenchmark.

Usage: /usr/bin/python3 scripts/bench/optuna_pruning_replay.py TABLE SEEDS EPOCHS
Each seed is a study of TPESampler(seed=seed) that runs one trial at a time until EPOCHS epochs are spent. A trial is
snapped to a recorded configuration as in optuna_replay.py; it reports the configuration's val_accuracy after each
epoch (trial.report(value, step=epoch)) and, after every epoch but the last, asks trial.should_prune(); pruned, it
costs the epochs it ran. A trial that the budget cuts short is told FAIL. Prints one line per trial, tab-separated:
    method seed trial config learning_rate batch_size dropout optimizer unfreeze_depth end epochs
where end is COMPLETE, PRUNED or CUT (or "method FAILED message" when a method raises). PruningBenchmark reads these
lines, checks that its own snapping gives the same config for every trial, and reports all methods the same way.
"""
import csv
import gzip
import os
import sys
import warnings

import optuna
from optuna.trial import TrialState

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from optuna_replay import snap, suggest  # noqa: E402  (the same space and the same snapping)

EPOCHS_PER_TRIAL = 8  # the table's curves; max_resource of the Hyperband pruner


def read_curves(path):
    """Configs in table order as (id, learning_rate, batch_size, dropout, optimizer, unfreeze_depth, score), which is
    what snap() reads, and each config's val_accuracy by epoch, epoch 1 first."""
    params, curves = {}, {}
    with gzip.open(path, "rt") as f:
        for r in csv.DictReader(line for line in f if not line.startswith("#")):
            key = int(r["config"])
            params[key] = (key, float(r["learning_rate"]), int(r["batch_size"]), float(r["dropout"]), r["optimizer"],
                           int(r["unfreeze_depth"]))
            curves.setdefault(key, []).append(float(r["val_accuracy"]))
    return [params[k] + (curves[k][-1],) for k in params], curves


METHODS = {
    "optuna_tpe": lambda: optuna.pruners.NopPruner(),
    # n_warmup_steps=0: may prune from the first epoch on, as Thaw's warmup_epochs 1
    "optuna_tpe_median": lambda: optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=0, interval_steps=1),
    "optuna_tpe_hyperband": lambda: optuna.pruners.HyperbandPruner(min_resource=1, max_resource=EPOCHS_PER_TRIAL,
                                                                   reduction_factor=3),
}


def replay(method, seed, budget, configs, curves):
    """One seed: trials until the budget of epochs is spent; prints a line per trial."""
    # a fixed study name: Hyperband assigns brackets from a hash of the study name and the trial number
    study = optuna.create_study(study_name=f"pruning-replay-{seed}", direction="maximize",
                                sampler=optuna.samplers.TPESampler(seed=seed), pruner=METHODS[method]())
    spent, n = 0, 0
    while spent < budget:
        trial = study.ask()
        values = suggest(trial)
        config = snap(configs, *values)
        curve = curves[config[0]]
        n += 1
        end, ran = "CUT", 0
        for epoch, accuracy in enumerate(curve, start=1):
            if spent == budget:
                break
            spent += 1
            ran = epoch
            trial.report(accuracy, step=epoch)
            if epoch == len(curve):
                end = "COMPLETE"
                study.tell(trial, accuracy)
                break
            if trial.should_prune():
                end = "PRUNED"
                study.tell(trial, state=TrialState.PRUNED)
                break
        if end == "CUT":
            study.tell(trial, state=TrialState.FAIL)
        print(method, seed, n, config[0], *values, end, ran, sep="\t")


def main():
    table, seeds, budget = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    configs, curves = read_curves(table)
    if any(len(c) != EPOCHS_PER_TRIAL for c in curves.values()):
        sys.exit(f"{table}: every configuration needs {EPOCHS_PER_TRIAL} epochs; record it with "
                 "scripts/bench/record-table.sh")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    for method in METHODS:
        try:
            for seed in range(1, seeds + 1):
                replay(method, seed, budget, configs, curves)
            print(f"{method}: {seeds} seeds done", file=sys.stderr)
        except Exception as e:  # reported as a failed method, the others still run
            print(method, "FAILED", f"{type(e).__name__}: {e}", sep="\t")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
