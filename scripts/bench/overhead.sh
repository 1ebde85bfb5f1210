#!/usr/bin/env bash
# Orchestration overhead per trial (no-op trainer): Thaw through H2 + Quartz vs Arbiter's LocalOptimizationRunner,
# side by side in one JVM. Usage: scripts/bench/overhead.sh [trials (1000)] [slots (1)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -q -B -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >&2
java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  dev.thaw.bench.OverheadBenchmark "${1:-1000}" "${2:-1}"
