#!/usr/bin/env bash
# Records the search benchmark's table once: runs scripts/bench/tables/record-study.yaml (288 fine-tuning
# configurations, 8 epochs each, one slot; about an hour on 2 cores) with the real `scripts/thaw run`, then writes every
# COMPLETE trial's curve, read back from the study's database, as a gzip CSV whose # lines say how it was made.
# Run it again after an interruption: `thaw run` continues the same study where it stopped.
# Usage: scripts/bench/record-table.sh [OUT (scripts/bench/tables/fashion-transfer-grid.csv.gz)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="${1:-scripts/bench/tables/fashion-transfer-grid.csv.gz}"
study=scripts/bench/tables/record-study.yaml
results=results/bench-table # the study's output.dir
data=/usr/share/datasets/fashion-mnist # the paths the study file names
if [[ ! -f $data/train-images-idx3-ubyte.gz ]]; then
  echo "error: $data is missing; install Debian's dataset-fashion-mnist (scripts/fashion-mnist does when it may)" >&2
  exit 2
fi
model=results/models/fashion-source.zip
[[ -f $model ]] || scripts/thaw pretrain --out "$model"

continued=
[[ -f $results/thaw.mv.db ]] && continued=" (continuing a recording begun earlier: this part only)"
started=$(date -u +%FT%TZ)
start=$(date +%s)
scripts/thaw run "$study"
seconds=$(( $(date +%s) - start ))

exec scripts/bench/java.sh dev.thaw.bench.TableWriter "$results" search-table "$out" \
  "the search benchmark's table, written by scripts/bench/record-table.sh" \
  "study file: $study" \
  "command: scripts/thaw run $study" \
  "git commit: $(git describe --always --dirty)" \
  "recorded: $started to $(date -u +%FT%TZ)" \
  "wall time: $seconds s$continued" \
  "machine: $(nproc) cores (nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
