#!/usr/bin/env bash
# SHA-256 of what seeded runs write, to show that a change leaves behaviour as it was: a gradient
# search, a REINFORCE search, a flops-target search and a retrain of the first search's network, all
# seeded. Run it on two checkouts (a clone at the commit before, and this tree) and compare.
# Usage: scripts/bench/digests.sh OUT_DIR   (accuracy-free: it may share the machine)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
out="${1:?usage: digests.sh OUT_DIR}"
rm -rf "$out" && mkdir -p "$out"
mvn -q -B -o install -DskipTests >/dev/null 2>&1 || mvn -q -B install -DskipTests >/dev/null
q=(--config conf/quickstart.yaml --seed 3)
scripts/proxyless search "${q[@]}" --num-epochs 4 --warmup-epochs 2 --output "$out/search" >"$out/search.log" 2>&1
scripts/proxyless search "${q[@]}" --num-epochs 4 --warmup-epochs 2 --algorithm reinforce --reinforce-batch-size 256 \
  --output "$out/reinforce" >"$out/reinforce.log" 2>&1
scripts/proxyless search "${q[@]}" --num-epochs 3 --warmup-epochs 1 --applied-hardware flops --target-latency 4.5 \
  --output "$out/target" >"$out/target.log" 2>&1
scripts/proxyless retrain --arch "$out/search/architecture.json" --num-epochs 1 --limit 5000 --seed 3 \
  --output "$out/retrain" >"$out/retrain.log" 2>&1
(cd "$out" && sha256sum search/architecture-probs.json reinforce/architecture-probs.json \
  target/architecture-probs.json target/architecture.json retrain/model.safetensors)
