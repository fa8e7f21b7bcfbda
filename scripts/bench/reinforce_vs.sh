#!/usr/bin/env bash
# REINFORCE against the gradient search at the same budget on local-cluster (two executor JVMs of one
# core each, as the tests make them): the quickstart with the flops table and --target-latency 4.5,
# one algorithm after the other. Prints per algorithm the wall time, the exported network, its
# MMACs, the final expected latency, the last epoch's mean architecture-step accuracy and the
# executors that did work. About 20 minutes on 2 cores.
# Usage: scripts/bench/reinforce_vs.sh [more search options]  (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
local_cluster_setup ReinforceLocalClusterTest
export PROXYLESS_EXTRA_JAVA_OPTS="$local_cluster_opts"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /CPU: /'
echo "| algorithm | wall time | exported network | its MMACs | final expected latency | arch acc1, last epoch | executors |"
echo "|---|---|---|---|---|---|---|"
for algorithm in gradient reinforce; do
  start=$(date +%s)
  scripts/proxyless search --config conf/quickstart.yaml --applied-hardware flops --target-latency 4.5 \
    --algorithm "$algorithm" --master 'local-cluster[2,1,2048]' "$@" --output "$out/$algorithm" \
    >"$out/$algorithm.log" 2>&1 || { tail -5 "$out/$algorithm.log"; exit 1; }
  wall=$(( $(date +%s) - start ))
  python3 - "$out/$algorithm" "$algorithm" "$wall" <<'PY'
import json, sys
root, algorithm, wall = sys.argv[1], sys.argv[2], int(sys.argv[3])
run = json.load(open(root + "/run.json"))
arch = json.load(open(root + "/architecture.json"))
recs = [json.loads(l) for l in open(root + "/metrics.jsonl") if l.strip()]
last = [r["acc1"] for r in recs if r["phase"] == "arch" and r["epoch"] == recs[-1]["epoch"]]
net = " ".join(c if isinstance(c, str) else c[0] for c in arch.values())
print(f"| {algorithm} | {wall // 60}m{wall % 60:02d}s | {net} | {run['exported_latency']:.3f} | "
      f"{recs[-1]['expected_latency_ms']:.3f} | {sum(last) / len(last):.3f} | {run['executors_that_did_work']} |")
PY
done
