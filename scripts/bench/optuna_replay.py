"""Optuna's samplers replayed on the search benchmark's table, the peer of dev.thaw.bench.SearchBenchmark.

Usage: /usr/bin/python3 scripts/bench/optuna_replay.py TABLE SEEDS TRIALS
Prints one line per proposal, tab-separated:
    method seed trial config learning_rate batch_size dropout optimizer unfreeze_depth
(or "method FAILED message" when a method raises). SearchBenchmark reads these lines, checks that its own snapping
gives the same config for every proposal, and reports all methods the same way.
"""
import csv
import gzip
import math
import sys
import warnings

import optuna

LR_LOW, LR_HIGH, DROPOUT_HIGH, MISMATCH = 1e-4, 1e-1, 0.5, 3  # as ReplaySpace


def suggest(trial):
    """The replay space, as ReplaySpace.space(): the same names, ranges and scales."""
    return (trial.suggest_float("learning_rate", LR_LOW, LR_HIGH, log=True),
            trial.suggest_categorical("batch_size", [16, 64]),
            trial.suggest_float("dropout", 0.0, DROPOUT_HIGH),
            trial.suggest_categorical("optimizer", ["sgd", "nesterovs", "adam"]),
            trial.suggest_int("unfreeze_depth", 0, 3))


def read_table(path):
    """Configs in table order: (id, learning_rate, batch_size, dropout, optimizer, unfreeze_depth, score);
    the score is the last epoch's val_accuracy (rows come epoch 1 first)."""
    configs = {}
    with gzip.open(path, "rt") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for r in rows:
            key = int(r["config"])
            params = (float(r["learning_rate"]), int(r["batch_size"]), float(r["dropout"]), r["optimizer"],
                      int(r["unfreeze_depth"]))
            configs[key] = (key,) + params + (float(r["val_accuracy"]),)  # a later epoch replaces an earlier one
    return list(configs.values())


def snap(configs, lr, batch, dropout, optimizer, depth):
    """The nearest config, by ReplaySpace's rule: log distance for the learning rate, linear for dropout (each over
    its range's width), MISMATCH for each categorical that differs; a tie goes to the first in the table."""
    best, least = None, math.inf
    for c in configs:
        d = (abs(math.log(lr) - math.log(c[1])) / math.log(LR_HIGH / LR_LOW) + abs(dropout - c[3]) / DROPOUT_HIGH
             + (batch != c[2]) * MISMATCH + (optimizer != c[4]) * MISMATCH + (depth != c[5]) * MISMATCH)
        if d < least:
            best, least = c, d
    return best


METHODS = {
    "optuna_random": lambda seed: optuna.samplers.RandomSampler(seed=seed),
    "optuna_tpe": lambda seed: optuna.samplers.TPESampler(seed=seed),
    "optuna_tpe_multivariate": lambda seed: optuna.samplers.TPESampler(seed=seed, multivariate=True),
}


def main():
    table, seeds, trials = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    configs = read_table(table)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)  # multivariate
    for method, sampler in METHODS.items():
        try:
            for seed in range(1, seeds + 1):
                study = optuna.create_study(direction="maximize", sampler=sampler(seed))
                for n in range(1, trials + 1):  # ask and tell, one trial at a time
                    trial = study.ask()
                    values = suggest(trial)
                    config = snap(configs, *values)
                    study.tell(trial, config[6])
                    print(method, seed, n, config[0], *values, sep="\t")
            print(f"{method}: {seeds} seeds done", file=sys.stderr)
        except Exception as e:  # reported as a failed method, the others still run
            print(method, "FAILED", f"{type(e).__name__}: {e}", sep="\t")


if __name__ == "__main__":
    main()
