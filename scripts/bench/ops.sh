#!/usr/bin/env bash
# Forward+backward ms of the layers that dominate a k3e3 training step, batch 64, 2 threads, each
# alone: DJL (libtorch 2.7.1) against PyTorch 1.13, both with scripts/env.sh's allocator settings,
# rounds interleaved, medians printed. Usage: ROUNDS=3 scripts/bench/ops.sh  (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rounds="${ROUNDS:-3}"
cp=$(bench_classpath nas-core)
out=$(mktemp -d)
for r in $(seq "$rounds"); do
  java -Xmx2g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.proxyless.nas.bench.OpBenchmark 2>/dev/null >> "$out/djl"
  /usr/bin/python3 scripts/bench/child_ops_torch.py 2 >> "$out/torch" 2>/dev/null || true
done
median() { grep -F "$2" "$1" 2>/dev/null | awk '{print $NF}' | sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }
printf "%-26s %10s %10s %8s\n" "layer (batch 64, fwd+bwd)" "DJL ms" "PyTorch ms" "ratio"
for w in "conv 1x1 16->48 @28x28" "dwconv 3x3/2 48 @28x28" "conv 1x1 48->24 @14x14" "batchnorm 48 @28x28"; do
  d=$(median "$out/djl" "$w"); t=$(median "$out/torch" "$w")
  printf "%-26s %10s %10s %8s\n" "$w" "$d" "$t" "$(awk -v d="$d" -v t="$t" 'BEGIN {if (t > 0) printf "%.2f", d / t; else print "-"}')"
done
rm -rf "$out"
