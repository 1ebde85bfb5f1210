"""Optuna's TPE proposal time on the histories dev.thaw.bench.TpeOverheadBenchmark writes, its peer.

Usage: /usr/bin/python3 scripts/bench/optuna_overhead.py HISTORY.tsv SIZES PROPOSALS WARMUP
For each size n: the first n trials of the file go into a fresh in-memory study (add_trials); after WARMUP untimed
proposals, proposal j (from 0) is timed with the first n + j trials in the study, as Thaw's is. A proposal is
study.ask() and the five suggestions (TPE samples in both: the multivariate model in ask, the univariate one in each
suggest). Prints "method<TAB>size<TAB>median ms" lines.
"""
import csv
import statistics
import sys
import time
import warnings

import optuna
from optuna.trial import TrialState

from optuna_replay import suggest  # the same space as the replay

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)  # multivariate


def distributions():
    """The space's distributions, taken from one suggest() so that the space is defined once."""
    trial = optuna.create_study().ask()
    suggest(trial)
    return trial.distributions


def read(path, dists):
    """The history as Optuna's frozen trials, in file order."""
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    kinds = {"learning_rate": float, "batch_size": int, "dropout": float, "optimizer": str, "unfreeze_depth": int}
    return [optuna.trial.create_trial(params={k: cast(r[k]) for k, cast in kinds.items()}, distributions=dists,
                                      value=float(r["score"])) for r in rows]


def propose(study):
    """One proposal: the time it takes (ms). It is then told as failed, so that TPE does not learn from it."""
    start = time.perf_counter()
    trial = study.ask()
    suggest(trial)
    ms = (time.perf_counter() - start) * 1e3
    study.tell(trial, state=TrialState.FAIL)
    return ms


def main():
    path, sizes, proposals, warmup = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4])
    trials = read(path, distributions())
    for method, multivariate in (("optuna tpe", False), ("optuna tpe mv", True)):
        for n in map(int, sizes):
            study = optuna.create_study(direction="maximize",
                                        sampler=optuna.samplers.TPESampler(seed=1, multivariate=multivariate))
            study.add_trials(trials[:n])
            for _ in range(warmup):
                propose(study)
            ms = []
            for j in range(proposals):
                ms.append(propose(study))
                study.add_trial(trials[n + j])  # the next proposal sees one trial more
            print(method, n, statistics.median(ms), sep="\t", flush=True)


if __name__ == "__main__":
    main()
