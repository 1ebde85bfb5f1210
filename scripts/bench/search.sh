#!/usr/bin/env bash
# Search efficiency replayed on the recorded table (scripts/bench/record-table.sh): Thaw's random, genetic, TPE and
# multivariate TPE beside Optuna's random, TPE and multivariate TPE, the same seeds and the same budget of trials on
# the same continuous space, each proposal snapped to the nearest recorded configuration. Prints the best score after
# 10/20/40/80 trials and the trials to the table's top 1%; draws the median regret to
# scripts/bench/results/search-regret.png (and, with the default seeds, trials and table, to the README's copy in
# web/screenshots/search-regret.png). THAW_BENCH_TABLE names another table.
# Usage: scripts/bench/search.sh [seeds (50)] [trials (80)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seeds="${1:-50}"
trials="${2:-80}"
table="${THAW_BENCH_TABLE:-scripts/bench/tables/fashion-transfer-grid.csv.gz}"
pngs=(scripts/bench/results/search-regret.png)
[[ $seeds == 50 && $trials == 80 && -z ${THAW_BENCH_TABLE:-} ]] && pngs+=(web/screenshots/search-regret.png)
exec scripts/bench/java.sh dev.thaw.bench.SearchBenchmark "$table" "$seeds" "$trials" "${pngs[@]}"
