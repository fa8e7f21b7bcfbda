#!/usr/bin/env bash
# How good the measured cpu latency table is: 20 random architectures of the default space, the
# table's prediction against the measured end-to-end latency of the child network (DJL, same batch).
# Prints RMSE, RMSPE and the share within +-10%. Usage: BATCH=1 scripts/bench/latency_table.sh (alone)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source scripts/env.sh
mvn -q -B -o install -DskipTests >/dev/null 2>&1 || mvn -q -B install -DskipTests >/dev/null
mvn -q -B -o -pl nas-core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbench.batch="${BATCH:-1}" -Dbench.archs="${ARCHS:-20}" \
  -cp "nas-core/target/test-classes:nas-core/target/classes:$(cat nas-core/target/bench.classpath)" \
  io.proxyless.nas.bench.LatencyTableBenchmark 2>/dev/null
