#!/usr/bin/env bash
# How decided a search ends and what it exports, for variants of the quickstart search: per variant
# the exported network, how many cells it skips (zero), each exported cell's probability (the
# smallest), the final expected latency and exported latency where a table is used, the last
# architecture-step accuracy and the wall time.
# Usage: scripts/bench/search_quality.sh 'NAME|search options' ...   (run alone)
#   e.g. scripts/bench/search_quality.sh 'quickstart|' 'arc lr 0.03|--arc-learning-rate 0.03'
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mvn -q -B -o install -DskipTests >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%F)"
printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n" variant exported zeros "min p(exported)" "E[lat]" "exported lat" \
  "arch acc1" "wall s"
printf "|---|---|---|---|---|---|---|---|\n"
i=0
for variant in "$@"; do
  name="${variant%%|*}"
  read -ra options <<< "${variant#*|}"
  run="$out/v$i"
  i=$((i + 1))
  start=$(date +%s)
  scripts/proxyless search --config conf/quickstart.yaml "${options[@]}" --output "$run" >"$run.log" 2>&1 \
    || { tail -5 "$run.log"; exit 1; }
  end=$(date +%s)
  python3 - "$run" "$name" "$((end - start))" <<'PY'
import json, sys
run, name, wall = sys.argv[1:]
arch = json.load(open(run + "/architecture.json"))
probs = json.load(open(run + "/architecture-probs.json"))
info = json.load(open(run + "/run.json"))
recs = [json.loads(l) for l in open(run + "/metrics.jsonl") if l.strip()]
arch_recs = [r for r in recs if r["phase"] == "arch"]
chosen = [arch[k] if isinstance(arch[k], str) else "+".join(arch[k]) for k in arch]
p = [probs[k][arch[k]] for k in arch if isinstance(arch[k], str)]
e = recs[-1].get("expected_latency_ms")
lat = info.get("exported_latency")
fmt = lambda v: "-" if v is None else f"{v:.3f}"
print(f"| {name} | {' '.join(chosen)} | {chosen.count('zero')} | {min(p):.3f} | {fmt(e)} | {fmt(lat)} | "
      f"{arch_recs[-1]['acc1'] if arch_recs else float('nan'):.3f} | {wall} |")
PY
done
