#!/usr/bin/env bash
# Semantic layer cost: texts classified per second on ONE core (taskset), uncached, batches of 1 and 32,
# median of 5 runs of TEXTS texts each. Offline; needs the test classpath (Maven's local repository).
#
#   bash bench/semantic.sh            # 2000 texts per run
#   TEXTS=5000 bash bench/semantic.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TEXTS=${TEXTS:-2000}
# ONNX Runtime would spread one inference over every core it sees; one core gives the per-core figure.
taskset -c 0 ./mvnw -B -o -q test -Dtest=SemanticThroughputBench -Dsemantic.bench=true -Dsemantic.texts="$TEXTS" \
  -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep '^BENCH'
