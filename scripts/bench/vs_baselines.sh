#!/usr/bin/env bash
# The quickstart's searched networks against its 12 baselines: the six uniform networks (every cell
# one op) and each of them with its skippable cells (s1, s3, s5, where `zero` is offered) set to
# zero. Every network is retrained alone with one recipe (RETRAIN_EPOCHS epochs on LIMIT images, 0 =
# all 60,000) for each seed of RETRAIN_SEEDS and scored on the 10,000 test images.
# - Equal cost: searches at TARGET (default: uniform BUDGET's latency on TABLE) with --applied-hardware
#   TABLE, one per seed of SEARCH_SEEDS; the table marks the networks that fit, and prints each searched
#   network's margin over the best baseline that fits.
# - FREE=1 adds searches without a latency term, set against the best baseline of all (no collapse).
# TABLE is what --applied-hardware takes (a table file, or flops); without it the cpu table is measured
# first (profile-latency, local[2]).
# Every step is skipped when its output is complete, so a stopped run resumes with the same OUT;
# EXTRA='NAME=ARCH.json ...' retrains and lists other networks beside them (not baselines).
# TABLE_ONLY=1 runs nothing and prints the table of what OUT holds ("-" for a retrain not yet done).
# Usage: [TABLE=cpu-table.json] [BUDGET=k5e3] [TARGET=ms] [SEARCH_SEEDS='0 1'] [RETRAIN_SEEDS='0 1']
#        [RETRAIN_EPOCHS=6] [LIMIT=0] [FREE=1] [SEARCH_OPTS='...'] [EXTRA='...'] [OUT=dir] scripts/bench/vs_baselines.sh
#        (accuracies only: it may share the machine; about 8 minutes a retrain and 4 a search on 2 cores)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
mvn -q -B -o install -DskipTests >/dev/null
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
read -ra search_seeds <<< "${SEARCH_SEEDS:-0 1}"
read -ra retrain_seeds <<< "${RETRAIN_SEEDS:-0 1}"
read -ra search_opts <<< "${SEARCH_OPTS:-}"
epochs=${RETRAIN_EPOCHS:-6}
limit=${LIMIT:-0}
budget=${BUDGET:-k5e3}
ops=(k3e3 k3e6 k5e3 k5e6 k7e3 k7e6)
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(date -u +%F), commit $(git rev-parse --short HEAD)"
table=${TABLE:-$out/cpu-table.json}
if [[ -z ${TABLE:-} && ! -f $table ]]; then
  log_or_fail "$out/profile.log" scripts/proxyless profile-latency --config conf/quickstart.yaml --master 'local[2]' --output "$table"
fi
for op in "${ops[@]}"; do
  python3 - "$op" "$out" <<'PY'
import json, sys
op, out = sys.argv[1], sys.argv[2]
cells = [f"s{i}" for i in range(6)]
json.dump({c: op for c in cells}, open(f"{out}/arch-{op}.json", "w"), indent=2)
json.dump({c: ("zero" if c in ("s1", "s3", "s5") else op) for c in cells}, open(f"{out}/arch-{op}-skip.json", "w"), indent=2)
PY
done
latency() { # arch file -> its latency on the table
  scripts/proxyless predict-latency --config conf/quickstart.yaml --applied-hardware "$table" --arch "$1" 2>/dev/null \
    | tail -1 | awk '{print $1}'
}
target=${TARGET:-$(latency "$out/arch-$budget.json")}
echo "table $table; target $target (uniform $budget); search: conf/quickstart.yaml ${search_opts[*]}; retrain: $epochs epochs, limit $limit"
search() { # name, options...
  local name=$1; shift
  [[ -f $out/search-$name/_SUCCESS || ${TABLE_ONLY:-0} == 1 ]] && return
  rm -rf "$out/search-$name"
  log_or_fail "$out/search-$name.log" scripts/proxyless search --config conf/quickstart.yaml "${search_opts[@]}" "$@" \
    --output "$out/search-$name"
  python3 - "$out/search-$name/architecture-probs.json" <<'PY'
import json, sys
probs = json.load(open(sys.argv[1]))
skippable = sorted(c for c, p in probs.items() if "zero" in p)
assert list(probs) == [f"s{i}" for i in range(6)] and skippable == ["s1", "s3", "s5"], \
    f"{sys.argv[1]}: not the quickstart's cells (s0-s5, zero on s1, s3, s5): {skippable}"
PY
}
searched=()
for seed in "${search_seeds[@]}"; do
  search "target-s$seed" --seed "$seed" --applied-hardware "$table" --target-latency "$target"
  searched+=("target-s$seed")
  if [[ ${FREE:-0} == 1 ]]; then
    search "free-s$seed" --seed "$seed"
    searched+=("free-s$seed")
  fi
done
networks=()
for name in "${searched[@]}"; do # with TABLE_ONLY=1, only the searches OUT holds
  [[ -f $out/search-$name/architecture.json ]] || continue
  cp "$out/search-$name/architecture.json" "$out/arch-searched-$name.json"
  networks+=("searched-$name")
done
for op in "${ops[@]}"; do networks+=("$op" "$op-skip"); done
read -ra extras <<< "${EXTRA:-}"
for extra in "${extras[@]}"; do
  cp "${extra#*=}" "$out/arch-extra-${extra%%=*}.json"
  networks+=("extra-${extra%%=*}")
done
for name in "${networks[@]}"; do
  latency "$out/arch-$name.json" > "$out/arch-$name.latency"
  for seed in "${retrain_seeds[@]}"; do
    model="$out/model-$name-seed$seed"
    [[ -f $model/_SUCCESS || ${TABLE_ONLY:-0} == 1 ]] && continue
    rm -rf "$model"
    log_or_fail "$model.log" scripts/proxyless retrain --config conf/quickstart.yaml --arch "$out/arch-$name.json" \
      --num-epochs "$epochs" --limit "$limit" --seed "$seed" --output "$model"
  done
done
python3 - "$out" "$target" "${retrain_seeds[*]}" "${networks[@]}" <<'PY'
import json, sys
out, target, seeds, names = sys.argv[1], float(sys.argv[2]), sys.argv[3].split(), sys.argv[4:]
def top1(name, seed):
    try:
        return json.load(open(f"{out}/model-{name}-seed{seed}/metrics.json"))["test"]["top1"]
    except FileNotFoundError:
        return None

rows = []
for name in names:
    arch = json.load(open(f"{out}/arch-{name}.json"))
    top1s = [top1(name, s) for s in seeds]
    done = [t for t in top1s if t is not None]
    rows.append(dict(name=name, cells=" ".join(arch.values()), latency=float(open(f"{out}/arch-{name}.latency").read()),
                     top1=top1s, mean=sum(done) / len(done) if done else float("nan"),
                     baseline=not name.startswith(("searched", "extra"))))
print("| network | cells | latency | fits | " + " | ".join(f"retrained seed {s}" for s in seeds) + " | mean |")
print("|---|---|---|---|" + "---|" * (len(seeds) + 1))
for r in rows:
    fits = "yes" if r["latency"] <= target else "no"
    print(f"| {r['name']} | {r['cells']} | {r['latency']:.3f} | {fits} | "
          + " | ".join("-" if t is None else f"{t:.4f}" for t in r["top1"]) + " | "
          + ("-" if r["mean"] != r["mean"] else f"{r['mean']:.4f}") + " |")
print()
baselines = [r for r in rows if r["baseline"] and r["mean"] == r["mean"]]
fitting = [r for r in baselines if r["latency"] <= target]
if not fitting:
    sys.exit("no baseline that fits the target is retrained yet")
best_fit = max(fitting, key=lambda r: r["mean"])
best_all = max(baselines, key=lambda r: r["mean"])
points = lambda x: f"{x * 100:+.2f}"
for r in rows:
    if r["name"].startswith("searched-target"):
        per_seed = [a - max(b["top1"][k] for b in fitting if b["top1"][k] is not None)
                    for k, a in enumerate(r["top1"]) if a is not None]
        print(f"{r['name']}: {points(r['mean'] - best_fit['mean'])} points over the best baseline that fits "
              f"({best_fit['name']}, mean {best_fit['mean']:.4f}); per retrain seed against that seed's best that fits: "
              + ", ".join(points(d) for d in per_seed))
    elif r["name"].startswith("searched-free"):
        print(f"{r['name']}: {points(r['mean'] - best_all['mean'])} points against the best baseline "
              f"({best_all['name']}, mean {best_all['mean']:.4f})")
gaps = [abs(r["top1"][0] - r["top1"][1]) for r in rows if len(seeds) >= 2 and None not in r["top1"][:2]]
if gaps:
    print(f"retrain seeds {seeds[0]} and {seeds[1]}: largest gap {max(gaps) * 100:.2f} points, mean {sum(gaps) / len(gaps) * 100:.2f} "
          f"({len(gaps)} networks retrained on both)")
print("baselines not retrained on every seed: " + (", ".join(r["name"] for r in rows if None in r["top1"]) or "none"))
PY
