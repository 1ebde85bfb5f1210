#!/usr/bin/env bash
# The frozen-feature cache's speed-up: the same studies run with `cache: {features: off}` and `features: auto`, side
# by side in one run, on the same workload, seeds and budget. Each configuration MODEL:DEPTH (vgg16:0 = VGG16,
# head only; resnet50:1 = ResNet50 with its top block thawed) is a random search of zoo MODEL with random weights
# (`weights: none`) at 96x96 on Fashion-MNIST's 10 classes (per_class images each, a fifth held out), unfreeze_depth
# DEPTH, no head_epochs, no augmentation; it runs once with each setting, each run with a fresh output.dir and
# cache.dir (so its first cached trial builds the entries), the order alternating between configurations.
# Per configuration it reports the first trial's seconds and the mean of the later ones (the trial durations Thaw
# records, read with `thaw trials --json`), the run's wall seconds, its peak RSS (/usr/bin/time -v), the cache's
# size on disk, every trial's score (final val_loss) and val_accuracy both ways and the largest difference, and the
# ratios uncached/cached. Writes scripts/bench/results/cache.md and cache.csv (per trial) and prints the table; each
# run's study file, console, trials and time output stay in scripts/bench/results/cache/.
# Usage: scripts/bench/cache.sh [configurations (vgg16:0,resnet50:0,resnet50:1)] [per_class (50)] [trials (6)]
#        [epochs (3)] [image_size (96)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
configs="${1:-vgg16:0,resnet50:0,resnet50:1}"
per_class="${2:-50}"
trials="${3:-6}"
epochs="${4:-3}"
size="${5:-96}"
data=/usr/share/datasets/fashion-mnist
results=scripts/bench/results
work="$results/cache"
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz; do
  [[ -f $data/$f ]] || { echo "error: $data/$f is missing; run scripts/fashion-mnist to fetch Fashion-MNIST" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time is missing (peak memory); sudo apt-get install time" >&2; exit 2; }
scripts/thaw --version > /dev/null # builds the jar now, not inside the first timed run
rm -rf "$work"
mkdir -p "$work"

# study CONFIG MODEL DEPTH MODE DIR: writes DIR/study.yaml
study() {
  cat > "$5/study.yaml" <<EOF
name: cache-$1
seed: 42
model: {source: zoo, name: $2, weights: none}
data:
  format: idx
  train_images: $data/train-images-idx3-ubyte.gz
  train_labels: $data/train-labels-idx1-ubyte.gz
  classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
  per_class: $per_class
  validation_fraction: 0.2
  image_size: $size
objective: {metric: val_loss}
search: {algorithm: random, trials: $trials, seed: 7}
budget: {epochs: $epochs}
space:
  learning_rate: {type: float, low: 1.0e-4, high: 1.0e-2, log: true}
  batch_size: {type: choice, values: [16, 32, 64]}
  dropout: {type: float, low: 0.0, high: 0.5}
  optimizer: {type: choice, values: [sgd, nesterovs, adam, rmsprop]}
  unfreeze_depth: $3
  head_epochs: 0
  augment: none
resources: {slots: 1}
output: {dir: $5/out, keep_models: none}
cache: {features: $4, dir: $5/cache}
EOF
}

# run CONFIG MODEL DEPTH MODE: one study run in a fresh folder, timed; its figures in the folder
run() {
  local dir="$work/$1-$4" start end rc=0
  mkdir -p "$dir"
  study "$1" "$2" "$3" "$4" "$dir"
  echo "$(date +%T) $1, cache $4 ..." >&2
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$dir/time.txt" scripts/thaw run "$dir/study.yaml" > "$dir/console.log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  echo "$rc" > "$dir/exit"
  echo "$end - $start" | bc > "$dir/wall"
  scripts/thaw trials "cache-$1" --results "$dir/out" --json > "$dir/trials.json" 2>> "$dir/console.log" || true
  du -sb "$dir/cache" 2> /dev/null | cut -f1 > "$dir/cache-bytes" || echo 0 > "$dir/cache-bytes"
  rm -f "$dir"/cache/*.features # the size is recorded; the entries are not needed again
  echo "$(date +%T) $1, cache $4: exit $rc, $(cat "$dir/wall") s" >&2
}

IFS=, read -ra list <<< "$configs"
i=0
for c in "${list[@]}"; do
  model="${c%%:*}"
  depth="${c#*:}"
  [[ $c == *:* && $model =~ ^[a-z0-9]+$ && $depth =~ ^[0-9]+$ ]] \
    || { echo "error: configuration '$c' is not MODEL:DEPTH (e.g. resnet50:1)" >&2; exit 2; }
  name="$model-d$depth"
  if (( i % 2 == 0 )); then
    run "$name" "$model" "$depth" off
    run "$name" "$model" "$depth" auto
  else
    run "$name" "$model" "$depth" auto
    run "$name" "$model" "$depth" off
  fi
  i=$((i + 1))
done
python3 scripts/bench/cache_report.py "$work" "$configs" "$per_class $trials $epochs $size" "$results/cache.md" \
  "$results/cache.csv"
