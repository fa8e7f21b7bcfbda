#!/usr/bin/env bash
# What a Spark job costs with nothing to compute, in the search's session settings (local[2],
# spark.task.cpus 2): the floor under each distributed step, which is one job. Run alone.
# BENCH_JAVA_OPTS="-Dspark.ui.showConsoleProgress=true" measures a setting against them.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath spark-job)
java -Xmx2g $PROXYLESS_JAVA_OPENS ${BENCH_JAVA_OPTS:-} -Dbench.rounds="${ROUNDS:-3}" \
  -Dlog4j2.configurationFile="$bench_root/conf/log4j2.properties" \
  -cp "$cp" io.proxyless.spark.bench.TrivialJobBenchmark 2>/dev/null
