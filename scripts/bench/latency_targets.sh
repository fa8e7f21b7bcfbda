#!/usr/bin/env bash
# The quickstart search with --applied-hardware flops at each of TARGETS (MMACs, default 3.5,4.5,6):
# prints per target the exported network, its table latency and its share of the target (the budget
# spent: 0.9 to 1), the final expected latency of the search (metrics.jsonl's last record) and its
# deviation from the target, and the last architecture-step accuracy.
# Usage: TARGETS=3.5,4.5,6 scripts/bench/latency_targets.sh [more search options]  (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mvn -q -B -o install -DskipTests >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%F)"
printf "%-8s %-36s %10s %8s %16s %10s %10s %8s\n" target network exported "of T" "final expected" deviation \
  "arch acc1" "wall s"
IFS=, read -ra targets <<< "${TARGETS:-3.5,4.5,6}"
for target in "${targets[@]}"; do
  start=$(date +%s)
  scripts/proxyless search --config conf/quickstart.yaml --applied-hardware flops --target-latency "$target" \
    "$@" --output "$out/t$target" >"$out/t$target.log" 2>&1 || { tail -5 "$out/t$target.log"; exit 1; }
  end=$(date +%s)
  python3 - "$out/t$target" "$target" "$((end - start))" <<'PY'
import json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
network = " ".join(json.load(open(sys.argv[1] + "/architecture.json")).values())
recs = [json.loads(l) for l in open(sys.argv[1] + "/metrics.jsonl") if l.strip()]
arch = [r for r in recs if r["phase"] == "arch"]
last = recs[-1]
target = float(sys.argv[2])
e = last["expected_latency_ms"]
print(f"{target:<8g} {network:<36} {run['exported_latency']:10.3f} {run['exported_latency'] / target:8.3f} {e:16.3f}"
      f" {100 * (e / target - 1):+9.1f}% {arch[-1]['acc1']:10.3f} {sys.argv[3]:>8}")
PY
done
