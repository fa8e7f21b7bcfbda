#!/usr/bin/env bash
# Driver heap and executor storage memory of the data path as the table grows: synthetic Parquet
# tables of ROWS (default 60000,600000) rows of 28x28 bytes, split and cached on local-cluster with
# two executor JVMs of 2 GiB. Run alone.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cp=$(bench_classpath spark-job)
export SPARK_HOME="$bench_root/spark-job/target/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
java -Xmx2g $PROXYLESS_JAVA_OPENS -Dai.djl.offline=true -Dbench.rows="${ROWS:-60000,600000}" \
  -Dlog4j2.configurationFile="$bench_root/conf/log4j2.properties" \
  -cp "$cp" io.proxyless.spark.bench.DataMemoryBenchmark 2>/dev/null
