#!/usr/bin/env bash
# Pruning efficiency replayed on the recorded table (scripts/bench/record-table.sh): Thaw's random and TPE samplers,
# each with no pruner, median, ASHA (stop), ASHA (pause) and Hyperband, beside Optuna's TPE with no pruner, its
# MedianPruner and its HyperbandPruner; the same seeds and the same budget of epochs, one trial at a time. A pruned
# trial costs the epochs it ran, a paused one those before and after its thaw. Prints the epochs (and the recorded
# minutes) to the table's top 1% and the best score after 100/200/400 epochs; writes scripts/bench/results/pruning.csv
# (per method and seed) and pruning.md (the figures table), and draws the median regret against epochs to
# scripts/bench/results/pruning-regret.png (and, with the default seeds, epochs and table, to the README's copy in
# web/screenshots/pruning-regret.png). THAW_BENCH_TABLE names another table.
# Usage: scripts/bench/pruning.sh [seeds (50)] [epochs (800)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seeds="${1:-50}"
epochs="${2:-800}"
table="${THAW_BENCH_TABLE:-scripts/bench/tables/fashion-transfer-grid.csv.gz}"
copy=()
[[ $seeds == 50 && $epochs == 800 && -z ${THAW_BENCH_TABLE:-} ]] && copy+=(web/screenshots/pruning-regret.png)
exec scripts/bench/java.sh dev.thaw.bench.PruningBenchmark "$table" "$seeds" "$epochs" scripts/bench/results \
  "${copy[@]}"
