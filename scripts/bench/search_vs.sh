#!/usr/bin/env bash
# A whole search through the launcher, this tree against another commit, side by side: each round
# runs both (alternating which goes first) on the same data and settings, one after the other.
# Prints per round the wall time and the weight-phase images/s (mean of metrics.jsonl's records
# after the first), then the medians and the median ratio (this tree over REV; above 1: faster).
# Usage: ROUNDS=3 scripts/bench/search_vs.sh REV [search options]   (run alone)
# Default options: the quickstart on 8192 images for 2 epochs in local[2].
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
rev="${1:?usage: search_vs.sh REV [search options]}"
shift
opts=("$@")
if (( ${#opts[@]} == 0 )); then
  opts=(--config "$bench_root/conf/quickstart.yaml" --limit 8192 --num-epochs 2 --warmup-epochs 0 --master 'local[2]')
fi
rounds="${ROUNDS:-3}"
out=$(mktemp -d)
other="$out/rev"
git worktree add -q --detach "$other" "$rev"
trap 'git worktree remove --force "$other"; rm -rf "$out"' EXIT
mvn -q -B -o install -DskipTests >/dev/null
# package, not install: the other tree's jars must not replace this tree's in the local repository.
(cd "$other" && mvn -q -B -o package -DskipTests >/dev/null)
run() { # tree name round
  local dir="$out/$2-$3"
  local start end
  start=$(date +%s.%N)
  "$1/scripts/proxyless" search "${opts[@]}" --output "$dir" >"$out/$2-$3.log" 2>&1
  end=$(date +%s.%N)
  python3 - "$dir/metrics.jsonl" "$start" "$end" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
w = [r["images_per_s"] for r in recs if r["phase"] == "weight"][1:]
print(f"{float(sys.argv[3]) - float(sys.argv[2]):.1f} {sum(w) / len(w):.1f}")
PY
}
printf "%-6s %-10s %10s %12s\n" round tree "wall s" "weight img/s"
for r in $(seq "$rounds"); do
  if (( r % 2 )); then a=$(run "$other" rev "$r"); b=$(run "$bench_root" this "$r")
  else b=$(run "$bench_root" this "$r"); a=$(run "$other" rev "$r"); fi
  printf "%-6s %-10s %10s %12s\n" "$r" "$rev" $a
  printf "%-6s %-10s %10s %12s\n" "$r" this $b
  echo "$a $b" >> "$out/pairs"
done
python3 - "$out/pairs" "$rev" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
med = lambda xs: statistics.median(xs)
print(f"median wall s: {sys.argv[2]} {med([r[0] for r in rows]):.1f}, this {med([r[2] for r in rows]):.1f}; "
      f"ratio (rev/this, above 1: this is faster) {med([r[0] / r[2] for r in rows]):.3f}")
print(f"median weight img/s: {sys.argv[2]} {med([r[1] for r in rows]):.1f}, this {med([r[3] for r in rows]):.1f}; "
      f"ratio (this/rev) {med([r[3] / r[1] for r in rows]):.3f}")
PY
