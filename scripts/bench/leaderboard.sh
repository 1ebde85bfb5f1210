#!/usr/bin/env bash
# Leaderboard API under load: 10,000 synthetic trials (5 parameters, 10 epochs each) in an H2 file, served by the
# real web server; p50/p95 of the sorted first page over 300 requests, then 50 concurrent clients × 100 requests.
# Usage: scripts/bench/leaderboard.sh [trials (10000)] [requests (300)] [clients (50)] [requests per client (100)]
exec "$(dirname "${BASH_SOURCE[0]}")/java.sh" dev.thaw.bench.LeaderboardBenchmark "${1:-10000}" "${2:-300}" \
  "${3:-50}" "${4:-100}"
