#!/usr/bin/env bash
# Orchestration overhead per trial (no-op trainer): Thaw through H2 + Quartz vs Arbiter's LocalOptimizationRunner,
# side by side in one JVM, over several rounds (the last one warm).
# Usage: scripts/bench/overhead.sh [trials (1000)] [slots (1)] [rounds (3)]
exec "$(dirname "${BASH_SOURCE[0]}")/java.sh" dev.thaw.bench.OverheadBenchmark "${1:-1000}" "${2:-1}" "${3:-3}"
