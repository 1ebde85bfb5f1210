#!/usr/bin/env bash
# Milliseconds per TPE proposal with histories of 100, 1,000 and 5,000 scored trials over the demo's five parameters:
# Thaw's TPE (univariate and multivariate) beside Optuna's (scripts/bench/optuna_overhead.py, /usr/bin/python3 or
# THAW_BENCH_PYTHON) on the same histories; the median of several proposals after a warm-up.
# Usage: scripts/bench/tpe-overhead.sh [sizes (100,1000,5000)] [proposals (7)] [warm-up (3)]
exec "$(dirname "${BASH_SOURCE[0]}")/java.sh" dev.thaw.bench.TpeOverheadBenchmark "${1:-100,1000,5000}" "${2:-7}" \
  "${3:-3}"
