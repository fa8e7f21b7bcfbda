#!/usr/bin/env bash
# How good the measured cpu latency table is: 20 random architectures of the default space, the
# table's prediction against the measured end-to-end latency of the child network (DJL, same batch).
# Prints RMSE, RMSPE and the share within +-10%. Usage: BATCH=1 scripts/bench/latency_table.sh (alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath nas-core)
java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbench.batch="${BATCH:-1}" -Dbench.archs="${ARCHS:-20}" \
  -cp "$cp" io.proxyless.nas.bench.LatencyTableBenchmark 2>/dev/null
