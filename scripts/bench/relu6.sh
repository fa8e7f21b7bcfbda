#!/usr/bin/env bash
# Forward+backward time of ReLU6 written four ways in DJL (the supernet uses the first), 2 libtorch
# threads, rounds interleaved, median printed. Usage: scripts/bench/relu6.sh  (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath nas-core)
java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.proxyless.nas.bench.Relu6Benchmark 2>/dev/null
