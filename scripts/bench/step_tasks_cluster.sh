#!/usr/bin/env bash
# Long-running step tasks against a Spark job per step on local-cluster (two executor JVMs of one
# core each, as the tests make them, so each step's payload and results cross between JVMs): the
# quickstart space at batch 64, two epochs (one weight-only, one with architecture steps) on LIMIT
# (4096) images, two partitions, one search after the other. Prints per way the search epochs'
# seconds, the steps they took and the milliseconds per step, and checks that both export the same
# network. About 5 minutes on 2 cores.
# Usage: scripts/bench/step_tasks_cluster.sh [more search options]  (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
local_cluster_setup LocalClusterSearchTest
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /CPU: /'
echo "| step tasks | search epochs | steps | ms per step | exported network |"
echo "|---|---|---|---|---|"
for tasks in per-step long-running; do
  PROXYLESS_EXTRA_JAVA_OPTS="$local_cluster_opts -Dspark.proxyless.step.tasks=$tasks" \
    scripts/proxyless search --config conf/quickstart.yaml --num-epochs 2 --warmup-epochs 1 --limit "${LIMIT:-4096}" \
    --partitions 2 --master 'local-cluster[2,1,2048]' "$@" --output "$out/$tasks" \
    >"$out/$tasks.log" 2>&1 || { tail -5 "$out/$tasks.log"; exit 1; }
  python3 - "$out/$tasks" "$tasks" <<'PY'
import json, sys
root, tasks = sys.argv[1], sys.argv[2]
run = json.load(open(root + "/run.json"))
arch = json.load(open(root + "/architecture.json"))
seconds = run["phase_seconds"]["search_epochs"] + run["phase_seconds"]["warmup_epochs"]
batches = run["weight_split_images"] // run["global_batch"]
# One weight-only epoch, then one with a weight and an architecture step per batch.
steps = 3 * batches
net = " ".join(c if isinstance(c, str) else c[0] for c in arch.values())
assert run["step_tasks"] == tasks, run["step_tasks"]
print(f"| {tasks} | {seconds:.1f} s | {steps} | {1000 * seconds / steps:.1f} | {net} |")
PY
done
