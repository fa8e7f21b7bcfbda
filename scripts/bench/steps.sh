#!/usr/bin/env bash
# Images/s of training one child network (all-k7e6, all-k3e3) and of search steps, batch 64,
# 2 libtorch threads: DJL and PyTorch 1.13 (Debian's python3-torch), each with glibc's default
# allocator and with scripts/env.sh's settings; DJL also in NCHW, and without env.sh's oneDNN cap at
# AVX2 (its own probe then picks the layout), PyTorch also channels-last. NCHW DJL and PyTorch run
# without the cap, which only DJL's channels-last needs (docs/performance.md). Rounds are interleaved
# and medians printed, because this machine is noisy. Usage: ROUNDS=3 scripts/bench/steps.sh  (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rounds="${ROUNDS:-3}"
threads=2
cp=$(bench_classpath nas-core)
out=$(mktemp -d)
djl() { # extra JVM options, e.g. -Dproxyless.memory_format=nchw
  java -Xmx4g "$@" -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.proxyless.nas.bench.StepBenchmark 2>/dev/null | tail -n +2
}
torch_bench() { env -u ONEDNN_MAX_CPU_ISA /usr/bin/python3 scripts/bench/child_torch.py $threads "$@"; }
has_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && has_torch=1
plain="env -u MALLOC_ARENA_MAX -u MALLOC_MMAP_MAX_ -u MALLOC_TRIM_THRESHOLD_ -u MALLOC_TOP_PAD_"
for r in $(seq "$rounds"); do
  # Each comparison's pair runs back to back, so a round's ratio sees one state of the machine.
  $plain bash -c "$(declare -f djl); cp='$cp' threads=$threads djl" >> "$out/djl-default"
  if [[ $has_torch == 1 ]]; then
    $plain bash -c "$(declare -f torch_bench); threads=$threads torch_bench" >> "$out/torch-default"
  fi
  djl >> "$out/djl-tuned"
  env -u ONEDNN_MAX_CPU_ISA bash -c "$(declare -f djl); cp='$cp' threads=$threads djl -Dproxyless.memory_format=nchw" \
    >> "$out/djl-nchw"
  env -u ONEDNN_MAX_CPU_ISA bash -c "$(declare -f djl); cp='$cp' threads=$threads djl" >> "$out/djl-uncapped"
  if [[ $has_torch == 1 ]]; then
    torch_bench >> "$out/torch-tuned"
    torch_bench channels_last >> "$out/torch-cl"
  fi
done
middle() { # numbers on stdin -> their median, or - when there are none
  sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'
}
median() { # file, workload -> median images/s
  grep -F "$2" "$1" 2>/dev/null | awk '{print $NF}' | middle
}
workloads=("child all-k7e6 train step" "child all-k3e3 train step" "search (weight+arch) steps" "search architecture step")
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores;" \
  "AVX-512: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no)"
printf "%-28s %12s %12s %12s %14s %14s %14s %14s\n" "workload (batch 64, $rounds rounds)" "DJL default" "DJL env.sh" \
  "DJL NCHW" "DJL uncapped" "PyTorch default" "PyTorch env.sh" "PyTorch env.sh CL"
for w in "${workloads[@]}"; do
  printf "%-28s %12s %12s %12s %14s %14s %14s %14s\n" "$w" "$(median "$out/djl-default" "$w")" "$(median "$out/djl-tuned" "$w")" \
    "$(median "$out/djl-nchw" "$w")" "$(median "$out/djl-uncapped" "$w")" "$(median "$out/torch-default" "$w")" \
    "$(median "$out/torch-tuned" "$w")" "$(median "$out/torch-cl" "$w")"
done
ratios() { # file, workload -> median over rounds of its images/s over DJL env.sh's, each round's runs back to back
  paste <(grep -F "$2" "$1" 2>/dev/null | awk '{print $NF}') <(grep -F "$2" "$out/djl-tuned" | awk '{print $NF}') \
    | awk 'NF == 2 && $2 > 0 {printf "%.2f\n", $1 / $2}' | middle
}
echo
echo "Images/s over DJL env.sh's (channels-last), median of the $rounds per-round ratios (above 1: DJL env.sh slower):"
printf "  %-28s %12s %14s %16s %22s\n" "" "DJL NCHW" "DJL uncapped" "PyTorch NCHW" "PyTorch channels-last"
for w in "${workloads[@]}"; do
  printf "  %-28s %12s %14s %16s %22s\n" "$w" "$(ratios "$out/djl-nchw" "$w")" "$(ratios "$out/djl-uncapped" "$w")" \
    "$(ratios "$out/torch-tuned" "$w")" "$(ratios "$out/torch-cl" "$w")"
done
rm -rf "$out"
