#!/usr/bin/env bash
# Inference images/s per core of a model folder on the 10,000 Fashion-MNIST test images: in-process
# (evaluate --in-process), Classify.transform (batched, the Spark ML Transformer's path) and the SQL
# function classify(image) in a SELECT (planned in batches) and in a WHERE (row at a time). MODEL=DIR, or a k3e3 network retrained for 1 epoch on
# 2,000 images is made first. Usage: [MODEL=runs/m1] scripts/bench/classify.sh   (run alone)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath spark-job)
data=/usr/share/datasets/fashion-mnist
model=${MODEL:-}
if [[ -z $model ]]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  model=$tmp/model
  scripts/proxyless retrain --uniform k3e3 --limit 2000 --num-epochs 1 --output "$model" >/dev/null 2>&1
fi
grep -m1 'model name' /proc/cpuinfo | sed 's/.*: /CPU: /'
java -Xmx3g $PROXYLESS_JAVA_OPENS -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dbench.rounds="${ROUNDS:-3}" -Dbench.model="$model" -Dbench.data="$data" \
  -Dlog4j2.configurationFile="$bench_root/conf/log4j2.properties" \
  -cp "$cp" io.proxyless.spark.bench.ClassifyBenchmark 2>/dev/null
