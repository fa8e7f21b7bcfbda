#!/usr/bin/env bash
# docs/results.md's table: the quickstart search at three latency settings (no latency term, and
# flops targets of TARGETS MMACs), and the six uniform networks, each retrained from scratch with the
# same recipe and budget (RETRAIN_EPOCHS epochs on a stratified LIMIT-image sample, 90% trained on),
# then scored on the 10,000 real Fashion-MNIST test images (t10k). Prints a Markdown table: test
# top-1, parameters, MMACs, cpu table latency, search and retrain wall time, and whether the row is
# on the accuracy/latency Pareto front of all rows.
# Usage: [TARGETS=4.5,3.5] [RETRAIN_EPOCHS=3] [LIMIT=20000] scripts/bench/results.sh   (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mvn -q -B -o install -DskipTests >/dev/null
out=${RESULTS_DIR:-$(mktemp -d)}
mkdir -p "$out"
epochs=${RETRAIN_EPOCHS:-3}
limit=${LIMIT:-20000}
IFS=, read -ra targets <<< "${TARGETS:-4.5,3.5}"
run() { # log, command...: the command's wall seconds
  local log=$1; shift
  local start; start=$(date +%s)
  log_or_fail "$log" "$@"
  echo $(( $(date +%s) - start ))
}
rows=()
searches=(none "${targets[@]}")
for s in "${searches[@]}"; do
  extra=()
  [[ $s != none ]] && extra=(--applied-hardware flops --target-latency "$s")
  [[ -f $out/search-$s/_SUCCESS ]] || rm -rf "$out/search-$s"
  st=$( [[ -f $out/search-$s/_SUCCESS ]] && cat "$out/search-$s.seconds" || run "$out/search-$s.log" \
        scripts/proxyless search --config conf/quickstart.yaml "${extra[@]}" --output "$out/search-$s" )
  echo "$st" > "$out/search-$s.seconds"
  rows+=("searched ($([[ $s == none ]] && echo 'no latency term' || echo "flops target $s")):search-$s:$out/search-$s/architecture.json:$st")
done
for op in k3e3 k3e6 k5e3 k5e6 k7e3 k7e6; do
  rows+=("uniform $op:uniform-$op:--uniform $op:")
done
for row in "${rows[@]}"; do
  IFS=: read -r label name arch st <<< "$row"
  model="$out/model-$name"
  if [[ ! -f $model/_SUCCESS ]]; then
    rm -rf "$model"
    if [[ $arch == --uniform* ]]; then net=($arch); else net=(--arch "$arch"); fi
    rt=$(run "$out/retrain-$name.log" scripts/proxyless retrain "${net[@]}" \
         --config conf/quickstart.yaml --num-epochs "$epochs" --limit "$limit" --output "$model")
    echo "$rt" > "$model.seconds"
  fi
  for hw in flops cpu; do
    scripts/proxyless predict-latency --config conf/quickstart.yaml --applied-hardware "$hw" \
      --arch "$model/architecture.json" 2>/dev/null | tail -1 > "$model.$hw"
  done
  echo "$label|$name|$st|$(cat "$model.seconds")" >> "$out/rows.txt.new"
done
mv "$out/rows.txt.new" "$out/rows.txt"
python3 - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
rows = []
for line in open(out + "/rows.txt"):
    label, name, search_s, retrain_s = line.rstrip("\n").split("|")
    model = f"{out}/model-{name}"
    metrics = json.load(open(model + "/metrics.json"))
    num = lambda f: float(re.findall(r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?", open(f).read())[0])
    rows.append(dict(label=label, top1=metrics["test"]["top1"], params=metrics["parameters"],
                     macs=num(model + ".flops"), cpu=num(model + ".cpu"),
                     search=search_s or "-", retrain=retrain_s,
                     arch=" ".join(v if isinstance(v, str) else "+".join(v)
                                  for v in json.load(open(model + "/architecture.json")).values())))
for r in rows:
    r["pareto"] = not any(o is not r and o["top1"] >= r["top1"] and o["cpu"] <= r["cpu"]
                          and (o["top1"] > r["top1"] or o["cpu"] < r["cpu"]) for o in rows)
print("| network | cells | test top-1 | parameters | MMACs | cpu table ms | search s | retrain s | Pareto |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['label']} | {r['arch']} | {r['top1']:.4f} | {r['params']:,} | {r['macs']:.3f} | {r['cpu']:.3f} "
          f"| {r['search']} | {r['retrain']} | {'yes' if r['pareto'] else 'no'} |")
PY
