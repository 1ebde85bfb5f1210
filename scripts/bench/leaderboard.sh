#!/usr/bin/env bash
# Leaderboard API under load: 10,000 synthetic trials (5 parameters, 10 epochs each) in an H2 file, served by the
# real web server; p50/p95 of the sorted first page over 300 requests, then 50 concurrent clients × 100 requests.
# Usage: scripts/bench/leaderboard.sh [trials (10000)] [requests (300)] [clients (50)] [requests per client (100)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -q -B -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >&2
java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.thaw.bench.LeaderboardBenchmark "${1:-10000}" "${2:-300}" "${3:-50}" "${4:-100}"
