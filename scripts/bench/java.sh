#!/usr/bin/env bash
# Runs a benchmark's main class from the test sources with the test classpath: scripts/bench/java.sh CLASS [ARGS...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -q -B -Dstyle.color=never test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >&2
exec java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" "$@"
