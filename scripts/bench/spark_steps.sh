#!/usr/bin/env bash
# Step time of the Spark job (local mode, one partition, spark.task.cpus = 2) against the in-process
# loop at global batch 64 and 256, same threads and seed, with a per-step breakdown and the bytes
# shipped per step against the whole supernet. Run alone: other load spoils the ratio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source scripts/env.sh
mvn -q -B -o install -DskipTests >/dev/null 2>&1 || mvn -q -B install -DskipTests >/dev/null
mvn -q -B -o -pl spark-job test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test >/dev/null
java -Xmx4g $PROXYLESS_JAVA_OPENS -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
  -Dai.djl.pytorch.num_interop_threads=1 -Dbench.steps="${STEPS:-12}" \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "spark-job/target/test-classes:spark-job/target/classes:$(cat spark-job/target/bench.classpath)" \
  io.proxyless.spark.bench.SparkStepBenchmark 2>/dev/null
