#!/usr/bin/env bash
# Images/s of training one child network and of search steps, batch 64, 2 libtorch threads:
# DJL with glibc's default allocator, DJL with scripts/env.sh's allocator settings, PyTorch 1.13.
# Usage: scripts/bench/steps.sh   (run alone: a second heavy process spoils the figures)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads=2
cd "$root"
mvn -q -B -o install -DskipTests >/dev/null 2>&1 || mvn -q -B install -DskipTests >/dev/null
mvn -q -B -o -pl nas-core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
cp="nas-core/target/test-classes:nas-core/target/classes:$(cat nas-core/target/bench.classpath)"
run_djl() {
  java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.proxyless.nas.bench.StepBenchmark 2>/dev/null
}
echo "== DJL 0.36 / libtorch 2.7.1, glibc malloc defaults"
env -u MALLOC_MMAP_THRESHOLD_ -u MALLOC_TRIM_THRESHOLD_ -u MALLOC_TOP_PAD_ bash -c "$(declare -f run_djl); cp='$cp' threads=$threads run_djl"
echo "== DJL 0.36 / libtorch 2.7.1, scripts/env.sh allocator settings"
(source scripts/env.sh; run_djl)
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (Debian python3-torch)"
  /usr/bin/python3 scripts/bench/child_torch.py $threads
else
  echo "== PyTorch: apt-get install python3-torch for the side-by-side figures"
fi
