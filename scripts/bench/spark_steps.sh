#!/usr/bin/env bash
# Step time of the Spark job (local mode, one partition, spark.task.cpus = 2), on long-running step
# tasks and with a job per step, against the in-process loop at global batch 64 and 256, same threads
# and seed, with a per-step breakdown and the bytes shipped per step against the whole supernet;
# ROUNDS (3) rounds rotate the order, medians shown.
# Run alone: other load spoils the ratio.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath spark-job)
java -Xmx4g $PROXYLESS_JAVA_OPENS -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
  -Dai.djl.pytorch.num_interop_threads=1 -Dbench.steps="${STEPS:-12}" -Dbench.rounds="${ROUNDS:-3}" \
  -Dlog4j2.configurationFile="$bench_root/conf/log4j2.properties" \
  -cp "$cp" io.proxyless.spark.bench.SparkStepBenchmark 2>/dev/null
