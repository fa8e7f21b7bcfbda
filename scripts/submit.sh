#!/usr/bin/env bash
# spark-submit wrapper: scripts/submit.sh [spark-submit options] -- search --output URI [search options]
#
#   PROXYLESS_EXECUTOR_CORES  cores per executor = task cpus = libtorch threads (default 2)
#   SPARK_SUBMIT              the spark-submit to use (default: spark-submit on PATH, else $SPARK_HOME/bin)
#
# Examples:
#   scripts/submit.sh --master yarn --deploy-mode cluster --num-executors 8 -- \
#       search --data hdfs:///data/fashion-mnist --output hdfs:///runs/nas-1 --partitions 8
#   scripts/submit.sh --master k8s://https://k8s.example:6443 --deploy-mode cluster \
#       --conf spark.kubernetes.container.image=my/spark:4.1.1 --num-executors 4 -- \
#       search --data s3a://bucket/fashion-mnist --output s3a://bucket/runs/nas-1
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/env.sh"
cores="${PROXYLESS_EXECUTOR_CORES:-2}"
submit="${SPARK_SUBMIT:-$(command -v spark-submit || echo "${SPARK_HOME:-}/bin/spark-submit")}"
if [[ ! -x "$submit" ]]; then
  echo "submit.sh: spark-submit not found; put it on PATH or set SPARK_HOME or SPARK_SUBMIT" >&2
  exit 2
fi
jar=$(ls "$root"/spark-job/target/spark-job-*-job.jar 2>/dev/null | head -1 || true)
if [[ -z "$jar" ]]; then
  (cd "$root" && mvn -q -B package -DskipTests) >&2
  jar=$(ls "$root"/spark-job/target/spark-job-*-job.jar | head -1)
fi
spark_args=()
while [[ $# -gt 0 && "$1" != "--" ]]; do spark_args+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift
djl="-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$cores -Dai.djl.pytorch.num_interop_threads=1"
exec "$submit" \
  --properties-file "$root/conf/spark-defaults.conf" \
  --class io.proxyless.spark.cli.Main \
  --conf spark.executor.cores="$cores" \
  --conf spark.task.cpus="$cores" \
  --conf spark.executor.extraJavaOptions="$djl" \
  --driver-java-options "$djl -Dlog4j2.configurationFile=$root/conf/log4j2.properties" \
  "${spark_args[@]}" "$jar" "$@"
