#!/usr/bin/env bash
# How good the cpu latency table of a space of one's own is (docs/spaces.md): examples/custom-space's
# space, each candidate timed alone, the fixed part from 5 random networks; then NETWORKS other random
# networks timed whole against the table's sum. Prints a Markdown table and the RMSPE.
# Usage: scripts/bench/space_latency.sh [PARAMS_JSON] [NETWORKS] [RUNS]   (run it alone: it times)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath spark-job)
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%F), commit $(git rev-parse --short HEAD)"
(cd spark-job && java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dlog4j2.level=warn \
  -cp "$(echo "$cp" | sed "s#spark-job/#$bench_root/spark-job/#g")" io.proxyless.spark.bench.SpaceLatencyBenchmark \
  "${1:-{\}}" "${2:-5}" "${3:-51}" 2>/dev/null)
