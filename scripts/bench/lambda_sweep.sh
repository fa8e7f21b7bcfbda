#!/usr/bin/env bash
# The lambda sweep of docs/latency.md: `scripts/proxyless sweep` over the quickstart with the flops
# table, for add#linear (its lambda) and mul#log (its beta), at each of LAMBDAS (default
# 0,0.03,0.1,0.3,1,3,10). Prints per setting the exported network's MMACs, the final expected
# latency and the mean architecture-step accuracy of the last epoch. About 45 minutes on 2 cores.
# Usage: [LAMBDAS=0,0.1,1] [KEEP=DIR] scripts/bench/lambda_sweep.sh [more search options]  (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mvn -q -B -o install -DskipTests >/dev/null
out=${KEEP:-$(mktemp -d)}
[[ -n ${KEEP:-} ]] || trap 'rm -rf "$out"' EXIT
lambdas=${LAMBDAS:-0,0.03,0.1,0.3,1,3,10}
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /CPU: /'
for loss in add#linear mul#log; do
  dir="$out/${loss/\#/-}"
  scripts/proxyless sweep --config conf/quickstart.yaml --applied-hardware flops --grad-reg-loss-type "$loss" \
    --lambdas "$lambdas" "$@" --output "$dir" >"$dir.log" 2>&1 || { tail -5 "$dir.log"; exit 1; }
  python3 - "$dir" "$loss" <<'PY'
import json, os, sys
root, loss = sys.argv[1], sys.argv[2]
sweep = json.load(open(os.path.join(root, "sweep.json")))
print(f"\n{loss}\n| setting | exported network | exported MMACs | final expected MMACs | arch acc1, last epoch |")
print("|---|---|---|---|---|")
for row in sweep["rows"] if isinstance(sweep, dict) else sweep:
    recs = [json.loads(l) for l in open(os.path.join(root, row["name"], "metrics.jsonl")) if l.strip()]
    last_epoch = recs[-1]["epoch"]
    arch = [r["acc1"] for r in recs if r["phase"] == "arch" and r["epoch"] == last_epoch]
    net = " ".join(c[0] if isinstance(c, list) else c for c in row["architecture"].values())
    print(f"| {row['name']} | {net} | {row['latency']:.3f} | {recs[-1]['expected_latency_ms']:.3f} | {sum(arch) / len(arch):.3f} |")
PY
done
