#!/usr/bin/env bash
# StepBenchmark of another commit against this tree, side by side: each round runs both JVMs back
# to back (alternating which goes first), scripts/env.sh settings, 2 libtorch threads, batch 64.
# Prints, per workload both print, the medians and the median of the per-round ratios (this tree
# over REV; above 1: this tree is faster). Usage: ROUNDS=5 scripts/bench/steps_vs.sh REV  (run alone)
# REV_TREE=DIR uses an existing checkout of REV (for example with a workload added by hand).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rev="${1:?usage: steps_vs.sh REV}"
rounds="${ROUNDS:-5}"
out=$(mktemp -d)
other="${REV_TREE:-}"
if [[ -z "$other" ]]; then
  other="$out/rev"
  git worktree add -q --detach "$other" "$rev"
  trap 'git worktree remove --force "$other"; rm -rf "$out"' EXIT
else
  trap 'rm -rf "$out"' EXIT
fi
cp_this=$(bench_classpath nas-core)
(cd "$other" && mvn -q -B -o -pl nas-core test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null)
cp_rev="$other/nas-core/target/test-classes:$other/nas-core/target/classes:$(cat "$other/nas-core/target/bench.classpath")"
run() { # classpath
  java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$1" io.proxyless.nas.bench.StepBenchmark 2>/dev/null | tail -n +2
}
for r in $(seq "$rounds"); do
  if (( r % 2 )); then run "$cp_rev" > "$out/rev-$r"; run "$cp_this" > "$out/this-$r"
  else run "$cp_this" > "$out/this-$r"; run "$cp_rev" > "$out/rev-$r"; fi
done
middle() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }
rate() { grep -F "$2" "$1" | awk '{print $NF}'; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $rounds rounds; images/s"
printf "%-28s %10s %10s %22s\n" "workload" "$rev" "this tree" "this / $rev (per round)"
grep -h -o '^[a-z].*step[s]*' "$out"/this-1 | while read -r w; do
  ratios=$(for r in $(seq "$rounds"); do paste <(rate "$out/rev-$r" "$w") <(rate "$out/this-$r" "$w"); done \
    | awk 'NF == 2 && $1 > 0 {printf "%.3f\n", $2 / $1}' | middle)
  printf "%-28s %10s %10s %22s\n" "$w" "$(cat "$out"/rev-* | rate /dev/stdin "$w" | middle)" \
    "$(cat "$out"/this-* | rate /dev/stdin "$w" | middle)" "$ratios"
done
