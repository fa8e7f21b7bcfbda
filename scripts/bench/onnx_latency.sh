#!/usr/bin/env bash
# How good the onnxruntime latency table is: the 6 uniform networks, 3 searched ones and RANDOM
# random ones of a space (default: conf/quickstart.yaml's), each exported to ONNX and timed whole in
# ONNX Runtime (batch 1, one thread), against the table's prediction. Prints a Markdown table and the
# RMSPE. Usage: scripts/bench/onnx_latency.sh [CONFIG] (run it alone: it times)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath nas-core)
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%F), commit $(git rev-parse --short HEAD)"
java -Xmx2g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$cp" io.proxyless.nas.bench.OnnxLatencyBenchmark "${1:-conf/quickstart.yaml}" "${RANDOM_COUNT:-6}" 2>/dev/null
