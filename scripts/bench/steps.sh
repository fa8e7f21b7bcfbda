#!/usr/bin/env bash
# Images/s of training one child network (all-k7e6, all-k3e3) and of search steps, batch 64,
# 2 libtorch threads: DJL and PyTorch 1.13 (Debian's python3-torch), each with glibc's default
# allocator and with scripts/env.sh's settings. Rounds are interleaved and the median is printed,
# because this machine is noisy. Usage: ROUNDS=3 scripts/bench/steps.sh  (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rounds="${ROUNDS:-3}"
threads=2
cp=$(bench_classpath nas-core)
out=$(mktemp -d)
djl() {
  java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.proxyless.nas.bench.StepBenchmark 2>/dev/null | tail -n +2
}
torch_bench() { /usr/bin/python3 scripts/bench/child_torch.py $threads; }
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
  if [[ $has_torch == 1 ]]; then
    torch_bench >> "$out/torch-tuned"
  fi
done
middle() { # numbers on stdin -> their median, or - when there are none
  sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'
}
median() { # file, workload -> median images/s
  grep -F "$2" "$1" 2>/dev/null | awk '{print $NF}' | middle
}
printf "%-28s %12s %12s %14s %14s\n" "workload (batch 64, $rounds rounds)" "DJL default" "DJL env.sh" "PyTorch default" "PyTorch env.sh"
for w in "child all-k7e6 train step" "child all-k3e3 train step" "search (weight+arch) steps"; do
  printf "%-28s %12s %12s %14s %14s\n" "$w" "$(median "$out/djl-default" "$w")" "$(median "$out/djl-tuned" "$w")" \
    "$(median "$out/torch-default" "$w")" "$(median "$out/torch-tuned" "$w")"
done
ratios() { # workload -> median over rounds of PyTorch/DJL images/s, both env.sh, each round's pair run back to back
  paste <(grep -F "$1" "$out/torch-tuned" 2>/dev/null | awk '{print $NF}') <(grep -F "$1" "$out/djl-tuned" | awk '{print $NF}') \
    | awk 'NF == 2 && $2 > 0 {printf "%.2f\n", $1 / $2}' | middle
}
if [[ $has_torch == 1 ]]; then
  echo
  echo "DJL slower than PyTorch by (env.sh on both, median of the $rounds per-round ratios):"
  for w in "child all-k7e6 train step" "child all-k3e3 train step"; do
    printf "  %-28s %s\n" "$w" "$(ratios "$w")"
  done
fi
rm -rf "$out"
