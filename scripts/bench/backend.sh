#!/usr/bin/env bash
# Compares ND4J's generic x86-64 and AVX2 native builds on the same training work (thaw pretrain, same seed),
# side by side in one run, alternating to spread machine noise. Prints seconds per run and the ratio.
# Usage: scripts/bench/backend.sh [rounds]   (default 2)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rounds="${1:-2}"
[[ -f target/thaw.jar ]] || mvn -q -B -DskipTests package
lib=target/lib
generic="$(ls $lib/nd4j-native-*-linux-x86_64.jar)"
avx2="$(ls $lib/nd4j-native-*-linux-x86_64-avx2.jar)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
classpath_without() {
  local skip="$1" cp="target/thaw.jar"
  for j in "$lib"/*.jar; do [[ "$j" == "$skip" ]] || cp="$cp:$j"; done
  echo "$cp"
}
run() {
  local name="$1" cp="$2" start end
  start=$(date +%s.%N)
  java -Xmx4g -cp "$cp" dev.thaw.cli.ThawCli pretrain --out "$tmp/$name.zip" --per-class 600 --epochs 2 > /dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
declare -a g a
for ((i = 0; i < rounds; i++)); do
  g+=("$(run generic "$(classpath_without "$avx2")")")
  a+=("$(run avx2 "$(classpath_without "$generic")")")
  echo "round $((i + 1)): generic ${g[-1]} s, avx2 ${a[-1]} s"
done
sum() { local s=0; for v in "$@"; do s=$(echo "$s + $v" | bc); done; echo "$s"; }
echo "generic/avx2 time ratio: $(echo "scale=3; $(sum "${g[@]}") / $(sum "${a[@]}")" | bc)"
