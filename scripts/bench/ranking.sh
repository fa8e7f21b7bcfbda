#!/usr/bin/env bash
# How well the trained supernet ranks networks (the one-shot NAS measure): the quickstart search
# trains a supernet; for the 6 uniform networks and RANDOM_NETS seeded random ones, the test top-1 inside
# the supernet (inherited weights; with the supernet's running statistics, and with batch norm
# recalibrated on 2,000 weight-split images) is set against the test top-1 of the same network
# retrained alone (results.sh's recipe: RETRAIN_EPOCHS epochs on a stratified LIMIT-image sample),
# for each retrain seed of SEEDS. Prints a Markdown table and Kendall's tau-b.
# Usage: [SEARCH_OPTS='--binary-mode full_v2'] [RANDOM_NETS=10] [SEEDS='0 1'] [RETRAIN_EPOCHS=3] [LIMIT=20000]
#        [RANKING_DIR=dir, to resume] scripts/bench/ranking.sh   (run alone, or for accuracy only beside others)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath nas-core)
out=${RANKING_DIR:-$(mktemp -d)}
mkdir -p "$out"
read -ra search_opts <<< "${SEARCH_OPTS:-}"
read -ra seeds <<< "${SEEDS:-0 1}"
epochs=${RETRAIN_EPOCHS:-3}
limit=${LIMIT:-20000}
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%F), commit $(git rev-parse --short HEAD)"
echo "search: conf/quickstart.yaml ${search_opts[*]}; retrain: $epochs epochs, limit $limit, seeds ${seeds[*]}"
if [[ ! -f $out/search/_SUCCESS ]]; then
  rm -rf "$out/search"
  log_or_fail "$out/search.log" scripts/proxyless search --config conf/quickstart.yaml "${search_opts[@]}" --output "$out/search"
fi
if [[ ! -s $out/inherited.jsonl ]]; then
  java $PROXYLESS_JAVA_OPENS $PROXYLESS_JAVA_OPTS -cp "$cp" io.proxyless.nas.bench.InheritedAccuracy conf/quickstart.yaml "$out/search" \
    "${RANDOM_NETS:-10}" 1 >"$out/inherited.jsonl.new" 2>"$out/inherited.log" || { tail -20 "$out/inherited.log"; exit 1; }
  mv "$out/inherited.jsonl.new" "$out/inherited.jsonl"
fi
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
for line in open(out + "/inherited.jsonl"):
    row = json.loads(line)
    json.dump(row["architecture"], open(f"{out}/arch-{row['name']}.json", "w"))
PY
for seed in "${seeds[@]}"; do
  while read -r name; do
    model="$out/model-$name-seed$seed"
    [[ -f $model/_SUCCESS ]] && continue
    rm -rf "$model"
    log_or_fail "$model.log" scripts/proxyless retrain --config conf/quickstart.yaml --arch "$out/arch-$name.json" \
      --seed "$seed" --num-epochs "$epochs" --limit "$limit" --output "$model"
  done < <(python3 -c 'import json,sys; [print(json.loads(l)["name"]) for l in open(sys.argv[1])]' "$out/inherited.jsonl")
done
python3 - "$out" "${seeds[@]}" <<'PY'
import json, sys
out, seeds = sys.argv[1], sys.argv[2:]

def tau_b(x, y):
    concordant = discordant = ties_x = ties_y = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                ties_x += 1
            elif dy == 0:
                ties_y += 1
            elif dx * dy > 0:
                concordant += 1
            else:
                discordant += 1
    n = concordant + discordant
    return (concordant - discordant) / ((n + ties_x) * (n + ties_y)) ** 0.5

rows = [json.loads(l) for l in open(out + "/inherited.jsonl")]
for row in rows:
    row["retrained"] = [json.load(open(f"{out}/model-{row['name']}-seed{s}/metrics.json"))["test"]["top1"] for s in seeds]
print("| network | cells | supernet top-1 | recalibrated | " + " | ".join(f"retrained seed {s}" for s in seeds) + " |")
print("|---|---|---|---|" + "---|" * len(seeds))
for row in rows:
    print(f"| {row['name']} | {' '.join(row['architecture'].values())} | {row['inherited_top1']:.4f} | "
          f"{row['recalibrated_top1']:.4f} | " + " | ".join(f"{a:.4f}" for a in row["retrained"]) + " |")
mean = [sum(r["retrained"]) / len(r["retrained"]) for r in rows]
print()
for key, label in (("inherited_top1", "supernet statistics"), ("recalibrated_top1", "recalibrated")):
    taus = [tau_b([r[key] for r in rows], [r["retrained"][k] for r in rows]) for k in range(len(seeds))]
    print(f"Kendall tau-b, {label} vs retrained: " + ", ".join(f"seed {s} {t:.3f}" for s, t in zip(seeds, taus))
          + f"; vs the seeds' mean {tau_b([r[key] for r in rows], mean):.3f}")
if len(seeds) >= 2:
    gaps = [abs(r["retrained"][0] - r["retrained"][1]) for r in rows]
    print(f"retrain seeds {seeds[0]} and {seeds[1]}: largest gap {max(gaps) * 100:.2f} points, mean {sum(gaps) / len(gaps) * 100:.2f}; "
          f"tau between them {tau_b([r['retrained'][0] for r in rows], [r['retrained'][1] for r in rows]):.3f}")
PY
